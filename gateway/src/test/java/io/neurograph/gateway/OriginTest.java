package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code allowed-origins}: listed or wildcard-matched origins upgrade, others get 403, no Origin upgrades. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OriginTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "origin-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.gateway.allowed-origins[0]", () -> "https://app.example.com");
    registry.add("neurograph.gateway.allowed-origins[1]", () -> "https://*.example.org");
  }

  @LocalServerPort int port;

  @Test
  void onlyAllowedBrowserOriginsMayConnect() {
    assertThat(status("https://app.example.com")).isEqualTo(101);
    assertThat(status("https://team.example.org")).isEqualTo(101);
    assertThat(status("https://evil.example.net")).isEqualTo(403);
    assertThat(status("https://example.org")).isEqualTo(403);
    assertThat(status("http://app.example.com")).isEqualTo(403);
    assertThat(status(null)).as("no Origin: not a browser").isEqualTo(101);
  }

  /** The handshake's HTTP status: 101 when upgraded (then closed again), else the refusal. */
  private int status(String origin) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    try {
      WebSocket socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/ws"), new WebSocket.Listener() {})
          .orTimeout(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)
          .join();
      socket.abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }
}
