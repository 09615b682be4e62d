package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.support.HeaderHandshake;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.gateway.support.TestJwts;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Mode {@code jwt} with an HS256 secret, an issuer and an audience: tokens at the handshake and in band,
 * the auth deadline, expiry and refresh, scopes, the principal on commands, the admin API, and logs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class JwtAuthTest {

  static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";
  static final String ISSUER = "https://issuer.test";
  static final String AUDIENCE = "neurograph";
  static final String PREFIX = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
  static final Topics TOPICS = new Topics(PREFIX);
  static KafkaTestSupport kafka;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "3");
    registry.add("neurograph.gateway.request-timeout", () -> "2s");
    registry.add("neurograph.auth.mode", () -> "jwt");
    registry.add("neurograph.auth.jwt.secret", () -> SECRET);
    registry.add("neurograph.auth.jwt.issuer", () -> ISSUER);
    registry.add("neurograph.auth.jwt.audience", () -> AUDIENCE);
    registry.add("neurograph.auth.auth-deadline", () -> "1s");
    registry.add("neurograph.auth.clock-skew", () -> "0s");
  }

  @LocalServerPort int port;
  @Autowired WebTestClient http;

  @BeforeAll
  static void startKafkaClients() {
    kafka = new KafkaTestSupport();
  }

  @AfterAll
  static void stopKafkaClients() {
    kafka.close();
  }

  static String token(String subject, Duration ttl, String scope) {
    return TestJwts.hs256(SECRET, TestJwts.claims(subject, ttl,
        claims -> claims.issuer(ISSUER).audience(AUDIENCE).claim("scope", scope)));
  }

  static String fullToken(String subject) {
    return token(subject, Duration.ofHours(1), "tokens:read tokens:write graph:read graph:write");
  }

  URI uri(String query) {
    return URI.create("ws://localhost:" + port + "/ws" + query);
  }

  WsClient connect(String query) {
    WsClient client = WsClient.connect(uri(query));
    assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  static void assertError(JsonNode message, String code) {
    assertThat(message.get("type").stringValue()).isEqualTo("error");
    assertThat(message.get("payload").get("code").stringValue()).isEqualTo(code);
  }

  static int closeCode(WsClient client) throws Exception {
    return client.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void bearerHeaderAuthenticatesTheHandshake() throws Exception {
    try (HeaderHandshake ws = HeaderHandshake.open(uri(""), "Bearer " + fullToken("alice"))) {
      assertThat(Json.parse(ws.next()).get("type").stringValue()).isEqualTo("connection.established");
      ws.send("{\"id\":\"s1\",\"type\":\"subscribe\",\"payload\":{\"topic\":\"graph\"}}");
      assertThat(Json.parse(ws.next()).get("type").stringValue()).isEqualTo("subscribed");
    }
    assertThat(HeaderHandshake.status(uri(""), "Bearer not-a-jwt")).isEqualTo(401);
  }

  @Test
  void accessTokenParameterAuthenticatesTheHandshake() {
    try (WsClient client = connect("?access_token=" + fullToken("bob"))) {
      client.send("subscribe", "s1", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s1").get("type").stringValue()).isEqualTo("subscribed");
    }
  }

  @Test
  void invalidTokensAreRefusedAtTheHandshakeAndInBand() {
    String wrongKey = TestJwts.hs256("another-secret-that-is-long-enough-too!!", TestJwts.claims("eve",
        Duration.ofHours(1), claims -> claims.issuer(ISSUER).audience(AUDIENCE)));
    String expired = token("eve", Duration.ofSeconds(-60), "tokens:read");
    String wrongIssuer = TestJwts.hs256(SECRET, TestJwts.claims("eve", Duration.ofHours(1),
        claims -> claims.issuer("https://elsewhere.test").audience(AUDIENCE)));
    String wrongAudience = TestJwts.hs256(SECRET, TestJwts.claims("eve", Duration.ofHours(1),
        claims -> claims.issuer(ISSUER).audience("someone-else")));
    for (String bad : List.of(wrongKey, expired, wrongIssuer, wrongAudience, "garbage")) {
      assertThat(HeaderHandshake.status(uri("?access_token=" + bad), "Bearer " + bad)).isEqualTo(401);
      assertThat(HeaderHandshake.status(uri("?access_token=" + bad), "Basic x")).isEqualTo(401);
    }
    try (WsClient client = connect("")) {
      int i = 0;
      for (String bad : List.of(wrongKey, expired, wrongIssuer, wrongAudience)) {
        client.send("auth", "a" + i, Map.of("token", bad));
        JsonNode error = client.replyTo("a" + i++);
        assertError(error, "UNAUTHENTICATED");
        assertThat(error.toString()).doesNotContain(bad);
      }
    }
  }

  @Test
  void firstFrameAuthWithinTheDeadline() {
    try (WsClient client = connect("?client_id=late-auth")) {
      client.send("token.get", "g1", Map.of("token_id", UUID.randomUUID().toString()));
      assertError(client.replyTo("g1"), "UNAUTHENTICATED");
      client.send("subscribe", "s0", Map.of("topic", "system"));
      assertError(client.replyTo("s0"), "UNAUTHENTICATED");
      client.send("ping", "p1", Map.of());
      assertThat(client.replyTo("p1").get("type").stringValue()).isEqualTo("pong");

      client.send("auth", "a1", Map.of("token", fullToken("carol")));
      JsonNode authenticated = client.replyTo("a1");
      assertThat(authenticated.get("type").stringValue()).isEqualTo("authenticated");
      assertThat(authenticated.get("payload").get("subject").stringValue()).isEqualTo("carol");
      assertThat(authenticated.get("payload").get("expires_at").longValue())
          .isGreaterThan(System.currentTimeMillis());
      client.send("subscribe", "s1", Map.of("topic", "system"));
      assertThat(client.replyTo("s1").get("type").stringValue()).isEqualTo("subscribed");
      // Past the deadline, still open.
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(() -> !client.isClosed());
    }
  }

  @Test
  void noTokenClosesWith4001AfterTheDeadline() throws Exception {
    try (WsClient client = connect("")) {
      assertThat(closeCode(client)).isEqualTo(4001);
    }
  }

  @Test
  void scopesDecideWhatARequestMayDo() {
    KafkaTestSupport.Reader commands = kafka.reader(TOPICS.tokenCommands());
    String reader = token("reader-sub", Duration.ofHours(1), "tokens:read");
    try (WsClient client = connect("?client_id=scoped&access_token=" + reader)) {
      client.send("token.get", "g1", Map.of("token_id", UUID.randomUUID().toString()));
      CommandMessage command = commands.nextCommandFrom("scoped");
      assertThat(command.type()).isEqualTo("token.get");
      assertThat(command.principal()).isEqualTo("reader-sub");

      client.send("token.create", "c1", Map.of("type", "demo", "coord_x", List.of(1, 0, 0, 0, 0, 0, 0, 0)));
      JsonNode forbidden = client.replyTo("c1");
      assertError(forbidden, "FORBIDDEN");
      assertThat(forbidden.get("payload").get("message").stringValue()).contains("tokens:write");
      client.send("subscribe", "s1", Map.of("topic", "graph"));
      JsonNode noGraph = client.replyTo("s1");
      assertError(noGraph, "FORBIDDEN");
      assertThat(noGraph.get("payload").get("message").stringValue()).contains("graph:read");
      client.send("graph.path", "p1", Map.of("source_id", UUID.randomUUID().toString(),
          "target_id", UUID.randomUUID().toString()));
      JsonNode noPath = client.replyTo("p1");
      assertError(noPath, "FORBIDDEN");
      assertThat(noPath.get("payload").get("message").stringValue()).contains("graph:read");
      client.send("subscribe", "s2", Map.of("topic", "token:" + UUID.randomUUID()));
      assertThat(client.replyTo("s2").get("type").stringValue()).isEqualTo("subscribed");

      client.send("ping", "still-here", Map.of());
      assertThat(client.replyTo("still-here").get("type").stringValue()).isEqualTo("pong");
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void refreshKeepsSubscriptionsAndReplacesTheExpiry() {
    String tokenId = UUID.randomUUID().toString();
    try (WsClient client = connect("?access_token=" + token("dave", Duration.ofSeconds(3), "tokens:read"))) {
      client.send("subscribe", "s1", Map.of("topic", "token:" + tokenId));
      assertThat(client.replyTo("s1").get("type").stringValue()).isEqualTo("subscribed");

      client.send("auth", "r1", Map.of("token", token("dave", Duration.ofHours(1), "tokens:read")));
      JsonNode refreshed = client.replyTo("r1");
      assertThat(refreshed.get("type").stringValue()).isEqualTo("authenticated");
      assertThat(refreshed.get("payload").get("expires_at").longValue())
          .isGreaterThan(System.currentTimeMillis() + Duration.ofMinutes(30).toMillis());

      // Well past the first token's expiry: still open.
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15)).until(() -> !client.isClosed());
      kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.created", tokenId,
          Json.tree(Map.of("token_id", tokenId, "type", "demo", "weight", 1.0)));
      assertThat(client.next("token.created").get("topic").stringValue()).isEqualTo("token:" + tokenId);
    }
  }

  @Test
  void aRefreshCannotSwitchToAnotherSubject() {
    try (WsClient client = connect("?access_token=" + fullToken("erin"))) {
      client.send("auth", "other", Map.of("token", fullToken("mallory")));
      assertError(client.replyTo("other"), "UNAUTHENTICATED");
      client.send("auth", "same", Map.of("token", fullToken("erin")));
      assertThat(client.replyTo("same").get("payload").get("subject").stringValue()).isEqualTo("erin");
    }
  }

  @Test
  void expiryWithoutRefreshSendsUnauthenticatedThenCloses4001() throws Exception {
    try (WsClient client = connect("?access_token=" + token("frank", Duration.ofSeconds(2), "tokens:read"))) {
      JsonNode error = client.next("error");
      assertError(error, "UNAUTHENTICATED");
      assertThat(error.get("payload").get("message").stringValue()).containsIgnoringCase("expired");
      assertThat(closeCode(client)).isEqualTo(4001);
    }
  }

  @Test
  void adminEndpointsNeedTheAdminScope() {
    http.get().uri("/ws/stats").exchange()
        .expectStatus().isUnauthorized()
        .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    http.get().uri("/ws/connections").header("Authorization", "Bearer nonsense").exchange()
        .expectStatus().isUnauthorized();
    http.post().uri("/ws/broadcast").header("Authorization", "Bearer " + fullToken("ops"))
        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange()
        .expectStatus().isForbidden()
        .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
    String admin = token("ops", Duration.ofHours(1), "admin");
    http.get().uri("/ws/stats").header("Authorization", "Bearer " + admin).exchange()
        .expectStatus().isOk();
    http.get().uri("/ws/connections").header("Authorization", "Bearer " + admin).exchange()
        .expectStatus().isOk();
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
  }

  @Test
  void tokensNeverAppearInLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    List<String> noisy = List.of("org.springframework.web", "org.springframework.http", "org.springframework.boot.web",
        "reactor.netty", "io.neurograph", "org.springframework.security");
    List<Level> before = new ArrayList<>();
    for (String name : noisy) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      before.add(logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    String good = fullToken("grace");
    String bad = token("grace", Duration.ofSeconds(-60), "tokens:read");
    try {
      try (WsClient client = connect("?client_id=logged&access_token=" + good)) {
        client.send("auth", "a1", Map.of("token", good));
        assertThat(client.replyTo("a1").get("type").stringValue()).isEqualTo("authenticated");
        client.send("auth", "a2", Map.of("token", bad));
        assertError(client.replyTo("a2"), "UNAUTHENTICATED");
      }
      assertThat(HeaderHandshake.status(uri("?access_token=" + bad), "Basic x")).isEqualTo(401);
      http.get().uri("/ws/stats").header("Authorization", "Bearer " + bad).exchange().expectStatus().isUnauthorized();
    } finally {
      for (int i = 0; i < noisy.size(); i++) {
        ((Logger) LoggerFactory.getLogger(noisy.get(i))).setLevel(before.get(i));
      }
      root.detachAppender(captured);
    }
    List<String> lines = captured.list.stream().map(event -> event.getFormattedMessage()
        + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).toList();
    assertThat(lines).as("debug logging was on").isNotEmpty();
    String goodSignature = good.substring(good.lastIndexOf('.') + 1);
    String badSignature = bad.substring(bad.lastIndexOf('.') + 1);
    assertThat(lines).noneMatch(line -> line.contains(goodSignature) || line.contains(badSignature));
  }
}
