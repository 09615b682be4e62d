package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;
import java.util.List;

/**
 * {@code graph.path} reply.
 *
 * @param paths token ids from source to target, shortest first
 * @param truncated (ext) the search hit its work bound before it could prove no further path exists
 */
public record GraphPathResult(
    TokenId sourceId, TokenId targetId, List<List<TokenId>> paths, int count, boolean truncated) {}
