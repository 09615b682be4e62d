package io.neurograph.graph.outbox;

import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Instant;

/**
 * An event a change caused, to be written to the outbox in the change's transaction.
 *
 * @param type client-facing event type, e.g. {@code graph.connected}
 * @param key the edge's source token id (the record key: all events of a source token keep their order)
 * @param subject the edge the event is about ({@code subject} and {@code ce_subject})
 * @param data the event payload record (full edge, or the disconnected edge's ids and reason)
 * @param occurredAt when the change was committed (the database's transaction time)
 */
public record PendingEvent(String type, TokenId key, ConnectionId subject, Object data, Instant occurredAt) {}
