package io.neurograph.tokens.it;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays a gateway instance against the service: produces command records, and reads the replies sent
 * to its own instance id, the token events and the dead letters. Single-threaded, like a test.
 */
public final class GatewayDouble implements AutoCloseable {

  /** Generous: the machines are small and noisy. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private final Topics topics;
  private final String replyTo = "gw-test-" + UUID.randomUUID();
  private final String clientId = "client-" + UUID.randomUUID().toString().substring(0, 8);
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<Received<ReplyMessage>> replies = new ArrayList<>();
  private final List<Received<EventMessage>> events = new ArrayList<>();
  private final List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();

  /** A gateway double on the given broker and topics. */
  public GatewayDouble(String bootstrapServers, Topics topics) {
    this.topics = topics;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, replyTo,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(
        topics.gatewayReplies(), topics.tokenEvents(), Topics.deadLetter(topics.tokenCommands())));
  }

  /** This double's gateway instance id. */
  public String replyTo() {
    return replyTo;
  }

  /** A command of this client, with a fresh request id and reply key. */
  public CommandMessage command(String type, Object payload) {
    String requestId = "req-" + UUID.randomUUID();
    return new CommandMessage(CommandMessage.commandId(clientId, requestId), type, requestId, clientId, "alice",
        replyTo, "rk-" + UUID.randomUUID(), Instant.now(), Json.tree(payload));
  }

  /** Produces a command keyed by {@code key} and waits for the broker's ack. */
  public CommandMessage send(String key, CommandMessage command, Map<String, String> headers) {
    sendRaw(key, Json.writeBytes(command), headers);
    return command;
  }

  /** Produces a command keyed by {@code key}. */
  public CommandMessage send(String key, CommandMessage command) {
    return send(key, command, Map.of());
  }

  /** Produces any value on the command topic; returns the partition it landed on. */
  public int sendRaw(String key, byte[] value, Map<String, String> headers) {
    var record = new ProducerRecord<>(topics.tokenCommands(), key, value);
    headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
    try {
      return producer.send(record).get().partition();
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce a command", e);
    }
  }

  /** Produces a command keyed by {@code key} onto one partition of the command topic and waits for the ack. */
  public CommandMessage sendTo(int partition, String key, CommandMessage command) {
    sendRawTo(partition, key, Json.writeBytes(command));
    return command;
  }

  /** Produces any value onto one partition of the command topic and waits for the ack. */
  public void sendRawTo(int partition, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topics.tokenCommands(), partition, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce a command", e);
    }
  }

  /** Sends a command and waits for its reply. */
  public Received<ReplyMessage> request(String key, CommandMessage command) {
    send(key, command);
    return awaitReply(command.requestId());
  }

  /** The reply to a request id (the first one not yet taken). */
  public Received<ReplyMessage> awaitReply(String requestId) {
    return await("reply to " + requestId, () -> take(replies, r -> r.value().requestId().equals(requestId)));
  }

  /** Whether a reply to the request id arrives while polling for {@code window} (the reply is not taken). */
  public boolean repliedWithin(String requestId, Duration window) {
    long deadline = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < deadline) {
      poll();
      if (replies.stream().anyMatch(r -> r.value().requestId().equals(requestId))) {
        return true;
      }
    }
    return false;
  }

  /** Reads whatever arrives for {@code window}, so that a later check also sees late duplicates. */
  public void listen(Duration window) {
    long deadline = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < deadline) {
      poll();
    }
  }

  /** Replies to the request id received so far and not taken by {@link #awaitReply}. */
  public List<Received<ReplyMessage>> untakenReplies(String requestId) {
    return replies.stream().filter(r -> r.value().requestId().equals(requestId)).toList();
  }

  /** Dead letters received so far whose value matches. */
  public long deadLetters(Predicate<byte[]> value) {
    return deadLetters.stream().filter(r -> value.test(r.value())).count();
  }

  /** Waits until {@code count} events about a token arrived; returns them in arrival order. */
  public List<Received<EventMessage>> awaitEvents(String tokenId, int count) {
    return await(count + " events of " + tokenId, () -> {
      List<Received<EventMessage>> about = eventsOf(tokenId);
      return about.size() >= count ? Optional.of(about) : Optional.empty();
    });
  }

  /** Events about a token received so far. */
  public List<Received<EventMessage>> eventsOf(String tokenId) {
    return events.stream().filter(e -> e.value().subject().equals(tokenId)).toList();
  }

  /** Waits for a dead letter whose value matches. */
  public ConsumerRecord<String, byte[]> awaitDeadLetter(Predicate<byte[]> value) {
    return await("dead letter", () -> deadLetters.stream().filter(r -> value.test(r.value())).findFirst());
  }

  private <T> T await(String what, Supplier<Optional<T>> check) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Optional<T> found = check.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + WAIT);
      }
      poll();
    }
  }

  private void poll() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      if (record.topic().equals(topics.gatewayReplies())) {
        if (replyTo.equals(record.key())) {
          replies.add(new Received<>(Json.read(record.value(), ReplyMessage.class), record));
        }
      } else if (record.topic().equals(topics.tokenEvents())) {
        events.add(new Received<>(Json.read(record.value(), EventMessage.class), record));
      } else {
        deadLetters.add(record);
      }
    }
  }

  private static <T> Optional<T> take(List<T> list, Predicate<T> match) {
    for (int i = 0; i < list.size(); i++) {
      if (match.test(list.get(i))) {
        return Optional.of(list.remove(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  /**
   * A record read back, parsed.
   *
   * @param value the parsed value
   * @param record the raw record (key, headers, bytes)
   */
  public record Received<T>(T value, ConsumerRecord<String, byte[]> record) {

    /** A header as text, or null. */
    public String header(String name) {
      Header h = record.headers().lastHeader(name);
      return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** All headers as text. */
    public Map<String, String> headers() {
      Map<String, String> all = new HashMap<>();
      record.headers().forEach(h -> all.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
      return all;
    }
  }
}
