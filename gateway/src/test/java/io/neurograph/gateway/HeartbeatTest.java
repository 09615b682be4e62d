package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.testkit.WsClient;
import io.neurograph.testkit.TestKafka;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Protocol-level pings keep a connection alive: the client's automatic pongs count as activity. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HeartbeatTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "hb-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.gateway.heartbeat-interval", () -> "200ms");
    registry.add("neurograph.gateway.idle-timeout", () -> "1s");
  }

  @LocalServerPort int port;

  @Test
  void pingsArriveAndPongsKeepTheConnectionOpenPastTheIdleTimeout() {
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"))) {
      assertThat(client.next().get("payload").get("heartbeat_interval_ms").longValue()).isEqualTo(200);
      // Ten pings take at least 2 s: twice the idle timeout, with the client never sending data.
      await().atMost(WsClient.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> client.pings() >= 10);
      assertThat(client.isClosed()).isFalse();
    }
  }
}
