package io.neurograph.graph.projection;

import io.neurograph.contracts.tokens.TokenId;
import java.util.UUID;

/**
 * What the projection needs of one record on the token event topic.
 *
 * @param topic the record's topic
 * @param partition the record's partition
 * @param offset the record's offset
 * @param eventId the event's id ({@code null} for a type the projection ignores)
 * @param type the event type
 * @param tokenId the token it is about ({@code null} for a type the projection ignores)
 * @param correlationId the request id that caused it, or {@code null}
 * @param traceparent W3C trace context of the record, or {@code null}
 */
record TokenEvent(
    String topic, int partition, long offset, UUID eventId, String type, TokenId tokenId, String correlationId,
    String traceparent) {

  /** Type of the event of a token's creation. */
  static final String CREATED = "token.created";
  /** Type of the event of a token's update. */
  static final String UPDATED = "token.updated";
  /** Type of the event of a token's deletion. */
  static final String DELETED = "token.deleted";

  /** Whether the projection applies this event type (the others only move the position). */
  static boolean projected(String type) {
    return CREATED.equals(type) || UPDATED.equals(type) || DELETED.equals(type);
  }

  /** Whether this event changes the projection. */
  boolean isProjected() {
    return projected(type);
  }
}
