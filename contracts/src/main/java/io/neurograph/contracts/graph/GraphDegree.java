package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/** {@code graph.degree} (ext): how many edges end and start at a token. */
public record GraphDegree(TokenId tokenId) {}
