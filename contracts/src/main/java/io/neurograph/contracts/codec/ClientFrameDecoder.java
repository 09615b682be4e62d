package io.neurograph.contracts.codec;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.validation.PayloadSpec;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns one client text frame into a validated request or a precise refusal, in the order clients
 * experience it: JSON, envelope, type, payload. Nothing unvalidated gets past this class.
 */
public final class ClientFrameDecoder {

  /** Longest request id accepted; ids are echoed back and used as idempotency keys. */
  public static final int MAX_ID_LENGTH = 128;

  private ClientFrameDecoder() {}

  /** Decodes a frame's text. */
  public static DecodedFrame decode(String text) {
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (JacksonException e) {
      return reject(ErrorCode.INVALID_JSON, "Frame is not valid JSON", null);
    }
    if (root == null || root.isMissingNode()) {
      return reject(ErrorCode.INVALID_JSON, "Frame is empty", null);
    }
    if (!root.isObject()) {
      return reject(ErrorCode.INVALID_ENVELOPE, "Frame must be a JSON object envelope", null);
    }
    // Trace context is advisory: a traceparent of any other JSON type is ignored like an unknown field.
    JsonNode traceNode = root.get("traceparent");
    String traceparent = traceNode != null && traceNode.isString() ? traceNode.stringValue() : null;
    JsonNode idNode = root.get("id");
    String id = idNode != null && idNode.isString() ? idNode.stringValue() : null;
    if (idNode != null && !idNode.isNull() && (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
      return reject(ErrorCode.INVALID_ENVELOPE,
          "Envelope field 'id' must be a non-empty string of at most " + MAX_ID_LENGTH + " characters", null,
          traceparent);
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isString() || typeNode.stringValue().isEmpty()) {
      return reject(ErrorCode.INVALID_ENVELOPE, "Envelope field 'type' must be a non-empty string", id, traceparent);
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      return reject(ErrorCode.INVALID_ENVELOPE, "Envelope field 'payload' must be a JSON object", id, traceparent);
    }
    JsonNode timestamp = root.get("timestamp");
    if (timestamp != null && !timestamp.isNull() && !timestamp.isIntegralNumber()) {
      return reject(ErrorCode.INVALID_ENVELOPE, "Envelope field 'timestamp' must be an integer (epoch ms)", id,
          traceparent);
    }
    String typeName = typeNode.stringValue();
    Optional<RequestType<?>> type = MessageRegistry.request(typeName);
    if (type.isEmpty()) {
      return reject(ErrorCode.UNKNOWN_TYPE, "Unknown message type '" + abbreviate(typeName) + "'", id, traceparent);
    }
    PayloadSpec.Result result = type.get().spec().validate(payload);
    if (!result.valid()) {
      return new DecodedFrame.Rejected(
          ErrorCode.VALIDATION_FAILED, "Invalid " + typeName + " payload", id, result.problems(), traceparent);
    }
    Object value = Json.convert(result.payload(), type.get().payloadType());
    boolean clientAssigned = id != null;
    return new DecodedFrame.Accepted(
        clientAssigned ? id : Envelope.newId(), clientAssigned, type.get(), result.payload(), value, traceparent);
  }

  private static DecodedFrame reject(ErrorCode code, String message, String id) {
    return reject(code, message, id, null);
  }

  private static DecodedFrame reject(ErrorCode code, String message, String id, String traceparent) {
    return new DecodedFrame.Rejected(code, message, id, null, traceparent);
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}
