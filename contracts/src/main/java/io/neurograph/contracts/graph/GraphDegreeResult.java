package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/** {@code graph.degree} reply; {@code total_degree} is the sum of the other two. */
public record GraphDegreeResult(TokenId tokenId, long inDegree, long outDegree, long totalDegree) {}
