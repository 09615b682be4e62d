package io.neurograph.contracts.kafka;

import tools.jackson.databind.JsonNode;

/**
 * The value of a record on the reply topic, keyed by the gateway instance id it goes to.
 *
 * @param replyKey the command's {@code reply_key}
 * @param requestId the command's client request id
 * @param commandId the command's idempotency key
 * @param type server message type ({@code token.created}, {@code error}, ...)
 * @param payload that type's payload
 */
public record ReplyMessage(String replyKey, String requestId, String commandId, String type, JsonNode payload) {}
