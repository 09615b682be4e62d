package io.neurograph.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The NeuroGraph protocol envelope: one per WebSocket text frame, in both directions.
 *
 * @param id message id; the server always sets a fresh one, clients may omit it
 * @param type logical message type, e.g. {@code token.create}
 * @param payload the type's payload object
 * @param timestamp epoch milliseconds
 * @param senderId always {@code null} from the server (kept for seed clients), ignored from clients
 * @param correlationId on a direct reply, the id of the request it answers
 * @param topic on a subscription delivery, the client topic it was delivered on
 * @param cursor on a subscription delivery, the opaque resume position after this message
 * @param eventId on a subscription delivery, the Kafka event's {@code event_id}: the same on every gateway
 *     instance and in every replay, so a client can drop an event it already has
 * @param traceparent W3C trace context ({@code 00-<trace id>-<span id>-<flags>}): optional from clients; on a
 *     reply, the trace of the request it answers; on a delivery, the trace of the command that caused the event
 */
public record Envelope(
    String id,
    String type,
    JsonNode payload,
    Long timestamp,
    @JsonInclude(JsonInclude.Include.ALWAYS) String senderId,
    String correlationId,
    String topic,
    String cursor,
    String eventId,
    String traceparent) {

  /** A server message that answers the request with id {@code correlationId} (may be null). */
  public static Envelope reply(String type, Object payload, String correlationId) {
    return reply(type, payload, correlationId, null);
  }

  /** A reply carrying the trace context of the request it answers ({@code traceparent} may be null). */
  public static Envelope reply(String type, Object payload, String correlationId, String traceparent) {
    return new Envelope(newId(), type, Json.tree(payload), System.currentTimeMillis(), null, correlationId, null,
        null, null, traceparent);
  }

  /** A server message delivered because of a subscription to {@code topic}. */
  public static Envelope delivery(String type, JsonNode payload, String topic, String cursor, String eventId) {
    return delivery(type, payload, topic, cursor, eventId, null);
  }

  /** A delivery carrying the trace context of the event ({@code traceparent} may be null). */
  public static Envelope delivery(
      String type, JsonNode payload, String topic, String cursor, String eventId, String traceparent) {
    return new Envelope(
        newId(), type, payload, System.currentTimeMillis(), null, null, topic, cursor, eventId, traceparent);
  }

  /** A server message that is neither a reply nor a delivery (e.g. {@code connection.established}). */
  public static Envelope notice(String type, Object payload) {
    return reply(type, payload, null);
  }

  /** A fresh server message id. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
