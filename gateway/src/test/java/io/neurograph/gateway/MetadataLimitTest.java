package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code neurograph.gateway.max-metadata-size} lowers the protocol's 16 KiB limit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetadataLimitTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "metadata-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.gateway.max-metadata-size", () -> "64B");
    // No service runs here: a request that passes validation ends in TIMEOUT, soon.
    registry.add("neurograph.gateway.request-timeout", () -> "1s");
  }

  @LocalServerPort int port;

  @Test
  void metadataOverTheConfiguredSizeIsRefusedAndSmallerPasses() {
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"))) {
      client.next("connection.established");
      // {"note":"xxx…"} with 60 x's is 71 bytes as compact JSON.
      client.send("token.create", "big", Map.of("metadata", Map.of("note", "x".repeat(60))));
      JsonNode refused = client.replyTo("big");
      assertThat(refused.get("type").stringValue()).isEqualTo("error");
      assertThat(refused.get("payload").get("code").stringValue()).isEqualTo("VALIDATION_FAILED");
      assertThat(refused.get("payload").get("original_message_id").stringValue()).isEqualTo("big");
      JsonNode problem = refused.get("payload").get("details").get(0);
      assertThat(problem.get("field").stringValue()).isEqualTo("metadata");
      assertThat(problem.get("problem").stringValue()).isEqualTo("must be at most 64 bytes as JSON");

      client.send("graph.connect", "big-edge", Map.of("source_id", UUID.randomUUID().toString(),
          "target_id", UUID.randomUUID().toString(), "metadata", Map.of("note", "x".repeat(60))));
      assertThat(client.replyTo("big-edge").get("payload").get("code").stringValue()).isEqualTo("VALIDATION_FAILED");

      // {"note":"xxx…"} with 40 x's is 51 bytes: accepted, sent to Kafka, unanswered here.
      client.send("token.create", "small", Map.of("metadata", Map.of("note", "x".repeat(40))));
      assertThat(client.replyTo("small").get("payload").get("code").stringValue()).isEqualTo("TIMEOUT");
    }
  }
}
