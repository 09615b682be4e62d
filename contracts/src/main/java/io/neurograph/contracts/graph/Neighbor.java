package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/** One edge in a {@code graph.neighbors} reply (seed shape). */
public record Neighbor(ConnectionId connectionId, TokenId sourceId, TokenId targetId, String type, double weight) {}
