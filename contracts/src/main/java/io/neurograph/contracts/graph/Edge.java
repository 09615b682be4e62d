package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full edge ("connection"): payload of the {@code graph.connected} reply and event.
 *
 * @param weight 0..1
 * @param bidirectional whether {@code graph.path} may also walk it from target to source
 * @param decayRate ≥ 0; stored for clients, the platform does not decay weights itself
 */
public record Edge(
    ConnectionId connectionId,
    TokenId sourceId,
    TokenId targetId,
    String type,
    double weight,
    boolean bidirectional,
    double decayRate,
    ObjectNode metadata,
    Instant createdAt) {}
