package io.neurograph.gateway.session;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;

/**
 * One server frame, serialized once: a fanned-out event is encoded once and shared by every recipient.
 *
 * @param json the frame text
 * @param bytes its UTF-8 size, counted against the recipient's outbound budget
 */
public record Outgoing(String json, int bytes) {

  /** Serializes an envelope. */
  public static Outgoing of(Envelope envelope) {
    String json = Json.write(envelope);
    return new Outgoing(json, utf8Length(json));
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
