package io.neurograph.contracts;

/** Machine-readable error codes of the {@code error} message; the wire form is the constant name. */
public enum ErrorCode {
  /** The frame is not parseable JSON. */
  INVALID_JSON,
  /** JSON, but not an envelope: not an object, or type/payload/id/timestamp missing or of the wrong type. */
  INVALID_ENVELOPE,
  /** The envelope names a message type the server does not accept from clients. */
  UNKNOWN_TYPE,
  /** The payload breaks a field rule; {@code details} lists each field and problem. */
  VALIDATION_FAILED,
  /** A command cannot proceed because the entity it names does not exist. */
  NOT_FOUND,
  /** No valid credentials. */
  UNAUTHENTICATED,
  /** Valid credentials that do not allow this request. */
  FORBIDDEN,
  /** Too many requests; {@code retry_after_ms} says when to try again. */
  RATE_LIMITED,
  /** A per-connection limit (subscriptions, in-flight requests) is reached. */
  LIMIT_EXCEEDED,
  /** A field or message is larger than allowed. */
  PAYLOAD_TOO_LARGE,
  /** A binary frame; only text frames carry protocol messages. */
  UNSUPPORTED_FRAME,
  /** Subscribe/unsubscribe to a topic that does not exist. */
  UNKNOWN_TOPIC,
  /** The request conflicts with current state (version mismatch, id reused for another command, duplicate id). */
  CONFLICT,
  /** The owning service did not answer in time; an accepted command may still take effect, once. */
  TIMEOUT,
  /** A dependency (Kafka) is unreachable; the request was not accepted. */
  UNAVAILABLE,
  /** An unexpected server fault; details are in the server logs, never in the message. */
  INTERNAL
}
