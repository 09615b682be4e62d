package io.neurograph.gateway.session;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;

/**
 * One server frame, serialized once: a fanned-out event is encoded once and shared by every recipient.
 *
 * @param json the frame text
 * @param bytes its UTF-8 size, counted against the recipient's outbound budget
 * @param type the envelope's message type, for the outbound counters
 * @param eventTime epoch ms of the Kafka record a live event came from (its age is measured at each write), or
 *     0 for anything else
 * @param written run when the frame is taken for writing (a reply's round trip), or null
 */
public record Outgoing(String json, int bytes, String type, long eventTime, Runnable written) {

  /** Serializes an envelope. */
  public static Outgoing of(Envelope envelope) {
    return of(envelope, 0, null);
  }

  /** A live event read from a Kafka record with timestamp {@code eventTime} (epoch ms). */
  public static Outgoing event(Envelope envelope, long eventTime) {
    return of(envelope, Math.max(eventTime, 0), null);
  }

  /** A reply; {@code written} runs when the connection's writer takes it. */
  public static Outgoing reply(Envelope envelope, Runnable written) {
    return of(envelope, 0, written);
  }

  private static Outgoing of(Envelope envelope, long eventTime, Runnable written) {
    String json = Json.write(envelope);
    return new Outgoing(json, utf8Length(json), envelope.type(), eventTime, written);
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
