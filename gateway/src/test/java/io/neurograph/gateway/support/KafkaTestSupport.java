package io.neurograph.gateway.support;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/** Plain Kafka clients for tests that play the part of a service or an event source. */
public final class KafkaTestSupport implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

  public KafkaTestSupport() {
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer());
  }

  /** Sends a record and waits for the broker's ack. */
  public void send(String topic, String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a record with headers (UTF-8 values) and waits for the broker's ack. */
  public void send(String topic, String key, String value, Map<String, String> headers) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a token event as token-service would. */
  public EventMessage publishTokenEvent(String topic, String type, String tokenId, JsonNode data) {
    EventMessage event = new EventMessage(UUID.randomUUID().toString(), type, 1, Instant.now(),
        "neurograph/token-service", tokenId, "req-" + UUID.randomUUID(), data);
    send(topic, tokenId, Json.write(event));
    return event;
  }

  /** Publishes a token event without waiting for the ack (order per key holds); {@link #flush} waits for all. */
  public void publishTokenEventAsync(String topic, String type, String tokenId, JsonNode data) {
    EventMessage event = new EventMessage(UUID.randomUUID().toString(), type, 1, Instant.now(),
        "neurograph/token-service", tokenId, "req-" + UUID.randomUUID(), data);
    producer.send(new ProducerRecord<>(topic, tokenId, Json.write(event)));
  }

  /** Waits until every record sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  /** Answers a command on the reply topic, as the owning service would. */
  public void reply(String repliesTopic, CommandMessage command, String type, Object payload) {
    ReplyMessage reply = new ReplyMessage(command.replyKey(), command.requestId(), command.commandId(), type,
        Json.tree(payload));
    send(repliesTopic, command.replyTo(), Json.write(reply));
  }

  /** A consumer reading a topic from the beginning (group-less, all partitions). */
  public Reader reader(String topic) {
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
        Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "test-" + UUID.randomUUID(),
            "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of(topic));
    consumers.add(consumer);
    return new Reader(consumer);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumers.forEach(KafkaConsumer::close);
  }

  /** Reads records until a condition is met. */
  public static final class Reader {
    private final KafkaConsumer<String, String> consumer;

    Reader(KafkaConsumer<String, String> consumer) {
      this.consumer = consumer;
    }

    /** The next record, waiting up to {@link WsClient#WAIT}. */
    public ConsumerRecord<String, String> next() {
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          pending.add(record);
        }
        if (!pending.isEmpty()) {
          return pending.remove(0);
        }
      }
      throw new AssertionError("no record within " + WsClient.WAIT);
    }

    /** The next record whose value is a command from this client id (other tests share the topic). */
    public ConsumerRecord<String, String> nextFrom(String clientId) {
      while (true) {
        ConsumerRecord<String, String> record = next();
        if (clientId.equals(Json.read(record.value(), CommandMessage.class).clientId())) {
          return record;
        }
      }
    }

    /** The next command from this client id. */
    public CommandMessage nextCommandFrom(String clientId) {
      return Json.read(nextFrom(clientId).value(), CommandMessage.class);
    }

    private final List<ConsumerRecord<String, String>> pending = new ArrayList<>();
  }
}
