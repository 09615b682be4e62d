package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A record on an event topic that is not a usable event (any producer can write there) is skipped with a
 * warning: subscribers get nothing for it, keep their connection, and receive the valid events after it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PoisonEventTest {

  static final String PREFIX = "poison-" + UUID.randomUUID().toString().substring(0, 8);
  static final Topics TOPICS = new Topics(PREFIX);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    // One partition: the poison records and the valid events after them are read in this order.
    registry.add("neurograph.kafka.partitions", () -> "1");
  }

  @LocalServerPort int port;
  @Autowired EventStream events;

  @Test
  void unreadableOrMisshapenEventsAreSkippedAndTheNextValidOneIsDelivered() {
    String tokenId = UUID.randomUUID().toString();
    List<String> poison = Arrays.asList(
        "not json",
        "",
        "{\"event_id\":",
        "[1,2]",
        "42",
        "\"text\"",
        "{}",
        // readable, but of no known type, or of a known type with nothing saying whose it is
        "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"token.exploded\",\"subject\":\"" + tokenId + "\"}",
        "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"token.created\",\"data\":{}}",
        // a tombstone
        null);
    assertPoisonIsSkipped(tokenId, poison);
  }

  /**
   * The JSON literal {@code null} in the middle of one fetched batch reads as no event at all: it must be
   * skipped like any unreadable record, not fail the batch (the listener container would then discard the
   * valid events fetched with it).
   */
  @Test
  void theJsonLiteralNullInABatchIsSkippedAndTheValidEventsAroundItAreDelivered() throws Exception {
    String tokenId = UUID.randomUUID().toString();
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        KafkaProducer<String, String> producer = batchingProducer()) {
      client.next("connection.established");
      client.send("subscribe", "s", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s").get("type").stringValue()).isEqualTo("subscribed");

      // One producer batch, so one fetch and one listener call: valid, poison, valid, valid.
      List<Future<?>> acks = new ArrayList<>();
      acks.add(producer.send(new ProducerRecord<>(TOPICS.tokenEvents(), tokenId, event(tokenId, 1))));
      acks.add(producer.send(new ProducerRecord<>(TOPICS.tokenEvents(), tokenId, "null")));
      acks.add(producer.send(new ProducerRecord<>(TOPICS.tokenEvents(), tokenId, event(tokenId, 2))));
      acks.add(producer.send(new ProducerRecord<>(TOPICS.tokenEvents(), tokenId, event(tokenId, 3))));
      producer.flush();
      for (Future<?> ack : acks) {
        ack.get();
      }

      for (int seq = 1; seq <= 3; seq++) {
        JsonNode event = client.next(m -> m.get("type").stringValue().startsWith("token."));
        assertThat(event.get("payload").get("seq").intValue()).as(event.toString()).isEqualTo(seq);
      }
      assertThat(client.isClosed()).isFalse();
    }
  }

  private static KafkaProducer<String, String> batchingProducer() {
    // A long linger keeps the four records in one batch.
    return new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all",
        "linger.ms", "500"), new StringSerializer(), new StringSerializer());
  }

  private static String event(String tokenId, int seq) {
    return Json.write(new EventMessage(UUID.randomUUID().toString(), "token.updated", 1, Instant.now(),
        "neurograph/token-service", tokenId, null, Json.tree(Map.of("token_id", tokenId, "seq", seq))));
  }

  private void assertPoisonIsSkipped(String tokenId, List<String> poison) {
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        KafkaTestSupport kafka = new KafkaTestSupport()) {
      client.next("connection.established");
      client.send("subscribe", "s", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s").get("type").stringValue()).isEqualTo("subscribed");
      long consumedBefore = events.eventsConsumed();

      for (String value : poison) {
        kafka.send(TOPICS.tokenEvents(), tokenId, value);
      }
      JsonNode data = Json.tree(Map.of("token_id", tokenId, "seq", 1));
      kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.updated", tokenId, data);

      JsonNode first = client.next(m -> m.get("type").stringValue().startsWith("token."));
      assertThat(first.get("type").stringValue()).as("nothing delivered for the poison: " + first)
          .isEqualTo("token.updated");
      assertThat(first.get("payload").get("seq").intValue()).isEqualTo(1);
      assertThat(events.eventsConsumed() - consumedBefore).isGreaterThanOrEqualTo(poison.size() + 1);
      assertThat(events.isRunning()).isTrue();

      client.send("ping", "p", Map.of());
      assertThat(client.replyTo("p").get("type").stringValue()).isEqualTo("pong");
      List<JsonNode> rest = new ArrayList<>(client.drain());
      assertThat(rest).as("no frame for any poison record")
          .noneMatch(m -> m.get("type").stringValue().startsWith("token."));
    }
  }
}
