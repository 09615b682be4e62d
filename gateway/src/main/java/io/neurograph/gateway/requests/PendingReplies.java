package io.neurograph.gateway.requests;

import io.neurograph.contracts.kafka.ReplyMessage;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Requests of this instance waiting for a service reply, by reply key. Bounded by the per-connection
 * in-flight limit times the connection limit; every entry is removed when its request ends, whatever the
 * outcome (reply, timeout, disconnect).
 */
@Component
public class PendingReplies {

  private final Map<String, Sinks.One<ReplyMessage>> pending = new ConcurrentHashMap<>();

  /** Opens a slot; the caller must {@link #forget} it when the request ends. */
  public Slot open() {
    String key = UUID.randomUUID().toString();
    Sinks.One<ReplyMessage> sink = Sinks.one();
    pending.put(key, sink);
    return new Slot(key, sink.asMono());
  }

  /** Hands a reply to the waiting request; false when nobody waits (timed out, disconnected, or not ours). */
  public boolean complete(ReplyMessage reply) {
    Sinks.One<ReplyMessage> sink = reply.replyKey() == null ? null : pending.remove(reply.replyKey());
    return sink != null && sink.tryEmitValue(reply).isSuccess();
  }

  /** Drops a slot. */
  public void forget(String key) {
    pending.remove(key);
  }

  /** Requests waiting now. */
  public int size() {
    return pending.size();
  }

  /**
   * A waiting request.
   *
   * @param key the reply key sent with the command
   * @param reply emits the reply when it arrives
   */
  public record Slot(String key, Mono<ReplyMessage> reply) {}
}
