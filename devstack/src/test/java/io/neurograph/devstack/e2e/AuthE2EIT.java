package io.neurograph.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.devstack.auth.DevToken;
import io.neurograph.testkit.WsClient;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Acceptance of authentication on the real jars, as devstack runs them with {@code NEUROGRAPH_AUTH_MODE=jwt}
 * and a shared secret: unauthenticated connections are refused, scopes decide what a client may do, an
 * expired token is closed with 4001 unless refreshed, and a flood from one connection is rate limited
 * while another client keeps being answered.
 */
class AuthE2EIT {

  static final String SECRET = "e2e-secret-" + UUID.randomUUID();
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start("auth", false, Map.of(
        DevToken.ENV_MODE, "jwt",
        DevToken.ENV_SECRET, SECRET,
        "NEUROGRAPH_AUTH_AUTH_DEADLINE", "2s"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static String token(String subject, String scopes, Duration lifetime) {
    return DevToken.sign(SECRET, subject, scopes, null, null, Instant.now(), lifetime);
  }

  static WsClient connect(String token) {
    WsClient client = WsClient.connect(platform.ws("?access_token=" + token));
    assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  static JsonNode request(WsClient client, String type, String id, Map<String, ?> payload) {
    client.send(type, id, payload);
    return client.replyTo(id);
  }

  static void assertError(JsonNode reply, String code) {
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("error");
    assertThat(reply.get("payload").get("code").stringValue()).as(reply.toString()).isEqualTo(code);
  }

  static int closeCode(WsClient client) throws Exception {
    return client.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void unauthenticatedConnectionsAreRefused() throws Exception {
    // A token that does not verify: no WebSocket at all.
    String forged = DevToken.sign("another-secret-of-at-least-32-bytes!!", "mallory", DevToken.SCOPES, null, null,
        Instant.now(), Duration.ofHours(1));
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () ->
        HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(platform.ws("?access_token=" + forged), new WebSocket.Listener() {})
            .join());
    assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);

    // No token: requests are refused until an auth frame, and without one the connection is closed.
    try (WsClient anonymous = WsClient.connect(platform.ws(""))) {
      anonymous.next("connection.established");
      assertError(request(anonymous, "token.get", "g-1", Map.of("token_id", UUID.randomUUID().toString())),
          "UNAUTHENTICATED");
      assertThat(closeCode(anonymous)).isEqualTo(4001);
    }
  }

  @Test
  void aReadOnlyTokenReadsButCannotWriteOrWatchTheGraph() {
    try (WsClient reader = connect(token("reader", "tokens:read", Duration.ofHours(1)))) {
      JsonNode get = request(reader, "token.get", "g-1", Map.of("token_id", UUID.randomUUID().toString()));
      assertThat(get.get("type").stringValue()).as("answered by token-service").isEqualTo("token.not_found");
      assertError(request(reader, "token.create", "c-1", Map.of("type", "nope")), "FORBIDDEN");
      assertError(request(reader, "subscribe", "s-1", Map.of("topic", "graph")), "FORBIDDEN");
      assertThat(request(reader, "subscribe", "s-2", Map.of("topic", "tokens")).get("type").stringValue())
          .isEqualTo("subscribed");
      assertThat(request(reader, "ping", "p-1", Map.of()).get("type").stringValue()).isEqualTo("pong");
    }
  }

  @Test
  void anExpiredTokenIsClosedWith4001UnlessRefreshedInTime() throws Exception {
    try (WsClient lapsing = connect(token("lapsing", "tokens:read", Duration.ofSeconds(3)));
        WsClient refreshing = connect(token("refreshing", "tokens:read", Duration.ofSeconds(3)))) {
      JsonNode renewed = request(refreshing, "auth", "a-1", Map.of("token",
          token("refreshing", "tokens:read", Duration.ofHours(1))));
      assertThat(renewed.get("type").stringValue()).isEqualTo("authenticated");

      assertError(lapsing.next("error"), "UNAUTHENTICATED");
      assertThat(closeCode(lapsing)).isEqualTo(4001);
      // Well past the first token's expiry, the refreshed connection is still served.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> !refreshing.isClosed());
      assertThat(request(refreshing, "ping", "p-1", Map.of()).get("type").stringValue()).isEqualTo("pong");
    }
  }

  @Test
  void aFloodFromOneConnectionIsRateLimitedWhileAnotherClientIsServed() {
    int frames = 10_000;
    int chunk = 500;
    int limited = 0;
    int answered = 0;
    try (WsClient flooder = connect(token("flooder", DevToken.SCOPES, Duration.ofHours(1)));
        WsClient bystander = connect(token("bystander", DevToken.SCOPES, Duration.ofHours(1)))) {
      for (int sent = 0; sent < frames; sent += chunk) {
        for (int i = sent; i < sent + chunk; i++) {
          flooder.send("ping", "f-" + i, Map.of());
        }
        // Read this chunk's answers before the next, as a client that keeps reading would.
        for (int i = 0; i < chunk; i++) {
          JsonNode answer = flooder.next();
          answered++;
          if ("error".equals(answer.get("type").stringValue())) {
            assertThat(answer.get("payload").get("code").stringValue()).isEqualTo("RATE_LIMITED");
            assertThat(answer.get("payload").get("retry_after_ms").longValue()).isPositive();
            limited++;
          }
        }
        String id = "b-" + sent;
        assertThat(request(bystander, "ping", id, Map.of()).get("type").stringValue())
            .as("the other client is answered during the flood").isEqualTo("pong");
      }
      assertThat(answered).isEqualTo(frames);
      assertThat(limited).as("most of the flood is refused").isGreaterThan(frames / 2);
      assertThat(flooder.isClosed()).as("a rate-limited connection stays open").isFalse();
    }
    org.slf4j.LoggerFactory.getLogger(AuthE2EIT.class)
        .info("Flood: {} frames, {} RATE_LIMITED, the bystander answered after every chunk", frames, limited);
  }
}
