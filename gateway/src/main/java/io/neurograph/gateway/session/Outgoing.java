package io.neurograph.gateway.session;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;
import java.nio.charset.StandardCharsets;

/**
 * One server frame, serialized and UTF-8 encoded once: a fanned-out event is shared by every recipient, so
 * the writers of a thousand subscribers wrap the same bytes instead of encoding the text a thousand times.
 *
 * @param json the frame text
 * @param utf8 the frame text in UTF-8, as written to the socket (never modified)
 * @param bytes its UTF-8 size, counted against the recipient's outbound budget
 * @param type the envelope's message type, for the outbound counters
 * @param eventTime epoch ms of the Kafka record a live event came from (its age is measured at each write), or
 *     0 for anything else
 * @param written run when the frame is taken for writing (a reply's round trip), or null
 */
public record Outgoing(String json, byte[] utf8, int bytes, String type, long eventTime, Runnable written) {

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
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    return new Outgoing(json, utf8, utf8.length, envelope.type(), eventTime, written);
  }

}
