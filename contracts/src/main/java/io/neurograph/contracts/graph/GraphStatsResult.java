package io.neurograph.contracts.graph;

/**
 * {@code graph.stats} reply.
 *
 * @param totalNodes existing tokens
 * @param totalEdges edges
 * @param avgDegree {@code 2 * edges / nodes} (0 without nodes)
 * @param density {@code edges / (nodes * (nodes - 1))}, the share of possible directed edges (0 below 2 nodes)
 */
public record GraphStatsResult(long totalNodes, long totalEdges, double avgDegree, double density) {}
