package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/**
 * {@code graph.path} (ext): up to {@code limit} simple paths from source to target of at most
 * {@code max_depth} edges, shortest first.
 */
public record GraphPath(TokenId sourceId, TokenId targetId, int maxDepth, int limit) {}
