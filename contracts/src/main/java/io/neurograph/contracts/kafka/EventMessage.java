package io.neurograph.contracts.kafka;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The value of a record on an event topic, keyed by the entity id. Readable by any plain Kafka consumer.
 *
 * @param eventId unique per event; a redelivered event keeps it, so consumers drop duplicates by it
 * @param type the client-facing event type, e.g. {@code token.created}
 * @param version schema version of {@code data} for this type (starts at 1)
 * @param occurredAt when the change was committed
 * @param source emitting service, e.g. {@code neurograph/token-service}
 * @param subject the entity id (token id), or the client topic for operator messages
 * @param correlationId client request id of the command that caused it, when there was one
 * @param data the full entity, or {@code {token_id}} for a deletion; the client payload of {@code type}
 */
public record EventMessage(
    String eventId,
    String type,
    int version,
    Instant occurredAt,
    String source,
    String subject,
    String correlationId,
    JsonNode data) {

  /** The schema version of every event type so far. */
  public static final int CURRENT_VERSION = 1;
}
