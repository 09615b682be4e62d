package io.neurograph.graph.store;

import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Instant;

/**
 * An edge a transaction deleted.
 *
 * @param removedAt the deleting transaction's time
 */
public record RemovedEdge(ConnectionId connectionId, TokenId sourceId, TokenId targetId, Instant removedAt) {}
