package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.gateway.session.SessionRegistry;
import io.neurograph.testkit.WsClient;
import io.neurograph.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Idle timeout, the connection limit and the per-connection rate limit, with tight settings. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectionLimitsTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "limits-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    // No protocol pings, so only the client's own frames count as activity.
    registry.add("neurograph.gateway.heartbeat-interval", () -> "1h");
    registry.add("neurograph.gateway.idle-timeout", () -> "1500ms");
    registry.add("neurograph.gateway.max-connections", () -> "2");
    registry.add("neurograph.gateway.rate-limit.capacity", () -> "5");
    registry.add("neurograph.gateway.rate-limit.refill-per-second", () -> "1");
  }

  @LocalServerPort int port;
  @Autowired SessionRegistry registry;

  URI uri() {
    return URI.create("ws://localhost:" + port + "/ws");
  }

  void awaitNoConnections() {
    await().atMost(WsClient.WAIT).until(() -> registry.size() == 0);
  }

  @Test
  void aSilentConnectionIsClosedWith1001() throws Exception {
    awaitNoConnections();
    try (WsClient client = WsClient.connect(uri())) {
      assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
      assertThat(client.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedWith503() {
    awaitNoConnections();
    try (WsClient first = WsClient.connect(uri()); WsClient second = WsClient.connect(uri())) {
      first.next();
      second.next();
      CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () ->
          HttpClient.newHttpClient().newWebSocketBuilder()
              .buildAsync(uri(), new java.net.http.WebSocket.Listener() {})
              .join());
      assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(503);
    }
    awaitNoConnections();
    try (WsClient again = WsClient.connect(uri())) {
      assertThat(again.next().get("type").stringValue()).as("slots are released on close").isEqualTo("connection.established");
    }
  }

  @Test
  void aFloodIsRateLimitedWithRetryAfterAndTheConnectionStays() {
    awaitNoConnections();
    try (WsClient client = WsClient.connect(uri())) {
      client.next();
      for (int i = 0; i < 10; i++) {
        client.send("ping", "f" + i, Map.of());
      }
      int pongs = 0;
      int limited = 0;
      for (int i = 0; i < 10; i++) {
        var message = client.next();
        if ("pong".equals(message.get("type").stringValue())) {
          pongs++;
        } else {
          assertThat(message.get("payload").get("code").stringValue()).isEqualTo("RATE_LIMITED");
          long retry = message.get("payload").get("retry_after_ms").longValue();
          assertThat(retry).isBetween(1L, 1000L);
          limited++;
        }
      }
      assertThat(pongs).isBetween(5, 7);
      assertThat(limited).isEqualTo(10 - pongs);
      await().atMost(WsClient.WAIT).untilAsserted(() -> {
        client.send("ping", "later", Map.of());
        assertThat(client.next().get("type").stringValue()).isEqualTo("pong");
      });
    }
  }
}
