package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;
import java.util.List;

/**
 * {@code graph.neighbors} reply.
 *
 * @param count edges in this reply
 * @param total (ext) edges matching the query, which is more than {@code count} when the limit cut it
 */
public record GraphNeighborsResult(
    TokenId tokenId, Direction direction, List<Neighbor> neighbors, int count, long total) {}
