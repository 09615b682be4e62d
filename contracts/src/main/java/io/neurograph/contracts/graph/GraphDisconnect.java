package io.neurograph.contracts.graph;

/** {@code graph.disconnect} (ext): remove one edge. */
public record GraphDisconnect(ConnectionId connectionId) {}
