package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;
import tools.jackson.databind.node.ObjectNode;

/** {@code graph.connect}: an edge from {@code source_id} to {@code target_id}; both tokens must exist. */
public record GraphConnect(
    TokenId sourceId,
    TokenId targetId,
    String type,
    double weight,
    boolean bidirectional,
    double decayRate,
    ObjectNode metadata) {}
