package io.neurograph.bench;

import java.time.Instant;

/**
 * Builds the few frames the bench sends and reads the few fields it needs from server frames by position, not
 * with a JSON parser: the gateway writes the envelope's {@code type} before {@code payload} and
 * {@code correlation_id} after it, and a full parse per delivered frame would make the client the bottleneck.
 */
final class Frames {

  private static final String ZEROS = "[0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]";

  private Frames() {}

  /** A {@code token.create} with coordinates and a little metadata (about the size of a typical token). */
  static String tokenCreate(String id, String run, long sequence) {
    return "{\"id\":\"" + id + "\",\"type\":\"token.create\",\"payload\":{\"type\":\"bench\",\"coord_x\":"
        + "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8],\"coord_y\":" + ZEROS + ",\"coord_z\":" + ZEROS
        + ",\"flags\":0,\"weight\":1.0,\"metadata\":{\"run\":\"" + run + "\",\"seq\":" + sequence + "}}}";
  }

  static String subscribe(String topic) {
    return "{\"id\":\"sub-" + topic + "\",\"type\":\"subscribe\",\"payload\":{\"topic\":\"" + topic + "\"}}";
  }

  static String ping(long sequence) {
    return "{\"id\":\"ping-" + sequence + "\",\"type\":\"ping\",\"payload\":{}}";
  }

  /** The envelope's {@code type} (the first {@code "type"} in a server frame). */
  static String type(String frame) {
    return stringAfter(frame, "\"type\":\"", frame.indexOf("\"type\":\""));
  }

  /** The envelope's {@code correlation_id} (written after the payload, so the last one). */
  static String correlationId(String frame) {
    return stringAfter(frame, "\"correlation_id\":\"", frame.lastIndexOf("\"correlation_id\":\""));
  }

  /** The error code of an {@code error} frame. */
  static String errorCode(String frame) {
    return stringAfter(frame, "\"code\":\"", frame.indexOf("\"code\":\""));
  }

  /** The payload's {@code created_at} (token-service's transaction time), or null. */
  static Instant createdAt(String frame) {
    String value = stringAfter(frame, "\"created_at\":\"", frame.indexOf("\"created_at\":\""));
    return value == null ? null : Instant.parse(value);
  }

  private static String stringAfter(String frame, String key, int at) {
    if (at < 0) {
      return null;
    }
    int start = at + key.length();
    int end = frame.indexOf('"', start);
    return end < 0 ? null : frame.substring(start, end);
  }
}
