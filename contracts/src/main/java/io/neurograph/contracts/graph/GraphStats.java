package io.neurograph.contracts.graph;

/** {@code graph.stats} (ext): no parameters. */
public record GraphStats() {}
