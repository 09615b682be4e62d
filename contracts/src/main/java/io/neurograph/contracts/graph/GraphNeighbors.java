package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/**
 * {@code graph.neighbors}: a token's edges in one direction, optionally of one type, oldest first.
 *
 * @param limit (ext) most edges returned
 */
public record GraphNeighbors(TokenId tokenId, Direction direction, String type, int limit) {}
