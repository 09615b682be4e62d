package io.neurograph.contracts.kafka;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The value of a record on a command topic: a validated client request on its way to the owning service.
 *
 * @param commandId idempotency key: {@code <client_id>/<request id>}; a service applies a command id once
 *     and answers a repeat with the stored outcome
 * @param type the client request type, e.g. {@code token.create}
 * @param requestId the client's request id (becomes {@code correlation_id} of the reply)
 * @param clientId the client id of the connection
 * @param principal authenticated subject, or {@code null} when authentication is off
 * @param replyTo gateway instance id the reply goes to (the reply topic's record key)
 * @param replyKey gateway-side key of the waiting request, echoed in the reply
 * @param issuedAt when the gateway accepted the request
 * @param payload the validated, normalized payload of {@code type}
 */
public record CommandMessage(
    String commandId,
    String type,
    String requestId,
    String clientId,
    String principal,
    String replyTo,
    String replyKey,
    Instant issuedAt,
    JsonNode payload) {

  /** The idempotency key of a request id within a client id. */
  public static String commandId(String clientId, String requestId) {
    return clientId + "/" + requestId;
  }
}
