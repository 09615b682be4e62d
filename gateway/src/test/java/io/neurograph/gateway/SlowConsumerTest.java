package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.session.SessionRegistry;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.WsClient;
import io.neurograph.testkit.TestKafka;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A client that stops reading is closed with 4008 once its bounded buffer is full, while a client reading
 * the same events receives every one of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowConsumerTest {

  static final String PREFIX = "slow-" + UUID.randomUUID().toString().substring(0, 8);
  static final int EVENTS = 1500;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.gateway.outbound.max-messages", () -> "50");
    registry.add("neurograph.gateway.outbound.max-bytes", () -> "512KB");
    // Long enough for the stalled client to drain its socket and read the close frame.
    registry.add("neurograph.gateway.outbound.close-grace", () -> "60s");
  }

  @LocalServerPort int port;
  @Autowired SessionRegistry registry;

  @Test
  void aStalledClientIsClosedWith4008AndTheOthersGetEverything() throws Exception {
    URI uri = URI.create("ws://localhost:" + port + "/ws");
    try (WsClient stalled = WsClient.connect(uri); WsClient healthy = WsClient.connect(uri);
        KafkaTestSupport kafka = new KafkaTestSupport()) {
      for (WsClient client : new WsClient[] {stalled, healthy}) {
        client.next("connection.established");
        client.send("subscribe", "s", Map.of("topic", "tokens"));
        client.replyTo("s");
      }
      stalled.stopReading();

      // ~16 KiB per event: far more than the socket buffers plus the 512 KB outbound budget.
      String pad = "p".repeat(16 * 1024);
      String tokenId = UUID.randomUUID().toString();
      for (int i = 0; i < EVENTS; i++) {
        JsonNode data = Json.tree(Map.of("token_id", tokenId, "seq", i, "pad", pad));
        kafka.publishTokenEvent(new Topics(PREFIX).tokenEvents(), "token.updated", tokenId, data);
      }

      for (int i = 0; i < EVENTS; i++) {
        JsonNode event = healthy.next("token.updated");
        assertThat(event.get("payload").get("seq").intValue()).as("in order, none missing").isEqualTo(i);
      }
      await().atMost(WsClient.WAIT).until(() -> registry.stats().slowConsumerCloses() == 1);
      assertThat(healthy.isClosed()).isFalse();

      stalled.resumeReading();
      assertThat(stalled.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4008);
      await().atMost(WsClient.WAIT).until(() -> registry.size() == 1);
    }
  }
}
