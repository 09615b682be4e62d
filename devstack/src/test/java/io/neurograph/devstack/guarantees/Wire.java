package io.neurograph.devstack.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

/** What the fault tests say to the gateway and read from Kafka, in one place. */
final class Wire {

  /** What an error a client sees must never contain: class names, SQL, driver or server details. */
  private static final Pattern INTERNAL_DETAIL =
      Pattern.compile("(?i).*(exception|sql|r2dbc|postgres|redis|lettuce|jdbc|java\\.|io\\.neurograph|connection refused).*");

  private Wire() {}

  static JsonNode request(WsClient client, String type, String id, Object payload) {
    client.send(type, id, payload);
    return client.replyTo(id);
  }

  static JsonNode expect(JsonNode reply, String type) {
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo(type);
    return reply.get("payload");
  }

  /** An error a client may see while a server is down: TIMEOUT or UNAVAILABLE, with nothing internal in it. */
  static void expectOutageError(JsonNode reply) {
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("error");
    JsonNode payload = reply.get("payload");
    assertThat(payload.get("code").stringValue()).as(reply.toString()).isIn("TIMEOUT", "UNAVAILABLE");
    assertThat(payload.get("message").stringValue()).as(reply.toString()).doesNotMatch(INTERNAL_DETAIL);
  }

  static String createToken(WsClient client, String id, String type) {
    JsonNode token = expect(request(client, "token.create", id,
        Map.of("type", type, "weight", 1.0, "metadata", Map.of("request", id))), "token.created");
    return token.get("token_id").stringValue();
  }

  static Map<String, Object> edge(String source, String target, String type) {
    return Map.of("source_id", source, "target_id", target, "type", type, "weight", 0.5);
  }

  static void subscribe(WsClient client, String topic) {
    String id = "sub-" + UUID.randomUUID();
    expect(request(client, "subscribe", id, Map.of("topic", topic)), "subscribed");
  }

  /** Keys of every record in a dead-letter topic (none when the topic does not exist). */
  static List<String> deadLetterKeys(String bootstrap, String topic) throws Exception {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin client = Admin.create(admin)) {
      if (!client.listTopics().names().get().contains(topic)) {
        return List.of();
      }
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          keys.add(record.key());
        }
      }
    }
    return keys;
  }
}
