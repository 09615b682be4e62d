package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenNotFound;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.WsClient;
import io.neurograph.testkit.TestKafka;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protocol as a client sees it, against a real Kafka broker; the test plays token-service where a
 * reply is needed (consuming the real command topic, answering on the real reply topic).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ProtocolTest {

  static final String PREFIX = "proto-" + UUID.randomUUID().toString().substring(0, 8);
  static final Topics TOPICS = new Topics(PREFIX);
  static KafkaTestSupport kafka;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "3");
    registry.add("neurograph.gateway.request-timeout", () -> "2s");
    registry.add("neurograph.gateway.max-subscriptions", () -> "3");
  }

  @LocalServerPort int port;
  @Autowired GatewayProperties properties;
  @Autowired WebTestClient http;

  @BeforeAll
  static void startKafkaClients() {
    kafka = new KafkaTestSupport();
  }

  @AfterAll
  static void stopKafkaClients() {
    kafka.close();
  }

  WsClient connect(String query) {
    WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws" + query));
    JsonNode first = client.next();
    assertThat(first.get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  @Test
  void connectionEstablishedComesFirstWithTheProtocolFields() {
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws?client_id=my_client"))) {
      JsonNode first = client.next();
      assertThat(first.get("type").stringValue()).isEqualTo("connection.established");
      JsonNode payload = first.get("payload");
      assertThat(payload.get("client_id").stringValue()).isEqualTo("my_client");
      assertThat(payload.get("connection_id").stringValue()).isNotBlank();
      assertThat(payload.get("timestamp").longValue()).isPositive();
      assertThat(payload.get("heartbeat_interval_ms").longValue()).isEqualTo(20_000);
      assertThat(payload.get("idle_timeout_ms").longValue()).isEqualTo(60_000);
      assertThat(payload.get("protocol").stringValue()).isEqualTo("neurograph.v1");
      assertThat(first.get("id").stringValue()).isNotBlank();
      assertThat(first.has("sender_id")).isTrue();
      assertThat(first.get("sender_id").isNull()).isTrue();
    }
  }

  @Test
  void clientIdIsGeneratedWhenAbsentAndRefusedWhenMalformed() {
    try (WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"))) {
      assertThat(client.next().get("payload").get("client_id").stringValue()).startsWith("client-");
    }
    http.get().uri("/ws?client_id=" + "x".repeat(200))
        .header("Upgrade", "websocket").header("Connection", "Upgrade")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13")
        .exchange().expectStatus().isBadRequest();
  }

  @Test
  void pingGetsPongCorrelatedToIt() {
    try (WsClient client = connect("")) {
      client.send("ping", "p-1", Map.of());
      JsonNode pong = client.next();
      assertThat(pong.get("type").stringValue()).isEqualTo("pong");
      assertThat(pong.get("payload").get("message_id").stringValue()).isEqualTo("p-1");
      assertThat(pong.get("correlation_id").stringValue()).isEqualTo("p-1");
      assertThat(pong.get("id").stringValue()).isNotEqualTo("p-1");
    }
  }

  @Test
  void badInputGetsTheRightErrorAndTheConnectionStays() {
    try (WsClient client = connect("")) {
      client.sendText("this is not json");
      assertError(client.next(), "INVALID_JSON", null);
      client.sendText("{\"id\":\"e1\",\"payload\":{}}");
      assertError(client.next(), "INVALID_ENVELOPE", "e1");
      client.sendText("{\"id\":\"e2\",\"type\":\"ping\",\"payload\":7}");
      assertError(client.next(), "INVALID_ENVELOPE", "e2");
      client.send("token.explode", "e3", Map.of());
      assertError(client.next(), "UNKNOWN_TYPE", "e3");
      client.send("token.create", "e4", Map.of("weight", -1, "coord_x", List.of(1, 2)));
      JsonNode invalid = client.next();
      assertError(invalid, "VALIDATION_FAILED", "e4");
      assertThat(invalid.get("payload").get("details")).hasSize(2);
      client.send("token.get", "e5", Map.of("token_id", "nope"));
      assertError(client.next(), "VALIDATION_FAILED", "e5");
      client.send("token.list", "e6", Map.of("limit", 0));
      assertError(client.next(), "VALIDATION_FAILED", "e6");
      client.sendBinary(new byte[] {1, 2, 3});
      assertError(client.next(), "UNSUPPORTED_FRAME", null);
      client.send("subscribe", "e7", Map.of());
      assertError(client.next(), "VALIDATION_FAILED", "e7");
      client.send("subscribe", "e8", Map.of("topic", "nonsense"));
      assertError(client.next(), "UNKNOWN_TOPIC", "e8");
      client.send("unsubscribe", "e9", Map.of());
      assertError(client.next(), "VALIDATION_FAILED", "e9");

      client.send("ping", "still-here", Map.of());
      assertThat(client.next().get("type").stringValue()).isEqualTo("pong");
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void nothingInvalidReachesKafka() {
    KafkaTestSupport.Reader commands = kafka.reader(TOPICS.tokenCommands());
    try (WsClient client = connect("?client_id=validator")) {
      client.send("token.create", "bad", Map.of("flags", -3));
      assertError(client.next(), "VALIDATION_FAILED", "bad");
      client.send("token.get", "good", Map.of("token_id", UUID.randomUUID().toString()));
      // The first command on the topic is the valid one: the invalid create never left the gateway.
      CommandMessage first = commands.nextCommandFrom("validator");
      assertThat(first.requestId()).isEqualTo("good");
      assertError(client.replyTo("good"), "TIMEOUT", "good");
    }
  }

  @Test
  void subscriptionsFollowTheProtocol() {
    try (WsClient client = connect("")) {
      client.send("subscribe", "s1", Map.of("topic", "tokens"));
      JsonNode subscribed = client.replyTo("s1");
      assertThat(subscribed.get("type").stringValue()).isEqualTo("subscribed");
      assertThat(subscribed.get("payload").get("topic").stringValue()).isEqualTo("tokens");
      assertThat(subscribed.get("payload").get("success").booleanValue()).isTrue();
      assertThat(subscribed.get("payload").get("cursor").stringValue()).startsWith("1.");
      String id = UUID.randomUUID().toString().toUpperCase();
      client.send("subscribe", "s2", Map.of("topic", "token:" + id));
      assertThat(client.replyTo("s2").get("payload").get("topic").stringValue()).isEqualTo("token:" + id.toLowerCase());
      client.send("subscribe", "s3", Map.of("topic", "system"));
      assertThat(client.replyTo("s3").get("type").stringValue()).isEqualTo("subscribed");
      client.send("subscribe", "s4", Map.of("topic", "token:" + UUID.randomUUID()));
      assertError(client.replyTo("s4"), "LIMIT_EXCEEDED", "s4");
      client.send("subscribe", "s5", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s5").get("type").stringValue()).as("re-subscribing is harmless").isEqualTo("subscribed");
      client.send("unsubscribe", "u1", Map.of("topic", "tokens"));
      JsonNode unsubscribed = client.replyTo("u1");
      assertThat(unsubscribed.get("type").stringValue()).isEqualTo("unsubscribed");
      assertThat(unsubscribed.get("payload").get("success").booleanValue()).isTrue();
      client.send("unsubscribe", "u2", Map.of("topic", "tokens"));
      assertThat(client.replyTo("u2").get("payload").get("success").booleanValue()).isTrue();
      client.send("subscribe", "s6", Map.of("topic", "tokens", "since", "1.abc"));
      assertThat(client.replyTo("s6").get("payload").get("resumed").booleanValue()).isFalse();
    }
  }

  @Test
  void eventsFanOutToSubscribersOfTheirTopicsWithTopicAndCursor() {
    String tokenId = UUID.randomUUID().toString();
    try (WsClient all = connect(""); WsClient one = connect(""); WsClient other = connect("")) {
      all.send("subscribe", "a", Map.of("topic", "tokens"));
      all.replyTo("a");
      one.send("subscribe", "b", Map.of("topic", "token:" + tokenId));
      one.replyTo("b");
      other.send("subscribe", "c", Map.of("topic", "token:" + UUID.randomUUID()));
      other.replyTo("c");

      JsonNode data = Json.tree(Map.of("token_id", tokenId, "type", "demo", "weight", 1.0));
      kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.created", tokenId, data);

      JsonNode seenByAll = all.next("token.created");
      assertThat(seenByAll.get("topic").stringValue()).isEqualTo("tokens");
      assertThat(seenByAll.get("cursor").stringValue()).startsWith("1.");
      assertThat(seenByAll.get("payload")).isEqualTo(data);
      assertThat(seenByAll.has("correlation_id")).isFalse();
      JsonNode seenByOne = one.next("token.created");
      assertThat(seenByOne.get("topic").stringValue()).isEqualTo("token:" + tokenId);

      other.send("ping", "after", Map.of());
      assertThat(other.next().get("type").stringValue()).as("no event for an unrelated token").isEqualTo("pong");
    }
  }

  @Test
  void commandsCarryTheContractAndRepliesReachTheAskingSessionOnly() {
    KafkaTestSupport.Reader commands = kafka.reader(TOPICS.tokenCommands());
    try (WsClient asker = connect("?client_id=asker"); WsClient bystander = connect("?client_id=bystander")) {
      asker.send("token.create", "c-1", Map.of("type", "demo", "coord_x", List.of(1, 0, 0, 0, 0, 0, 0, 0)));

      ConsumerRecord<String, String> record = commands.nextFrom("asker");
      CommandMessage command = Json.read(record.value(), CommandMessage.class);
      assertThat(command.type()).isEqualTo("token.create");
      assertThat(command.commandId()).isEqualTo("asker/c-1");
      assertThat(command.clientId()).isEqualTo("asker");
      assertThat(command.replyTo()).isEqualTo(properties.instanceId());
      String tokenId = command.payload().get("token_id").stringValue();
      assertThat(tokenId).isEqualTo(TokenId.derivedFrom("asker/c-1").toString());
      assertThat(record.key()).as("keyed by entity").isEqualTo(tokenId);
      ObjectNode payload = (ObjectNode) command.payload();
      assertThat(payload.get("weight").doubleValue()).as("defaults filled").isEqualTo(1.0);
      assertThat(payload.get("coord_y")).hasSize(8);

      Token token = new Token(TokenId.of(tokenId), "demo", null, null, null, 0, 1.0, Json.object(), Instant.now(),
          Instant.now(), 1);
      kafka.reply(TOPICS.gatewayReplies(), command, "token.created", token);

      JsonNode reply = asker.replyTo("c-1");
      assertThat(reply.get("type").stringValue()).isEqualTo("token.created");
      assertThat(reply.get("payload").get("token_id").stringValue()).isEqualTo(tokenId);

      asker.send("token.get", "g-1", Map.of("token_id", tokenId));
      CommandMessage get = commands.nextCommandFrom("asker");
      kafka.reply(TOPICS.gatewayReplies(), get, "token.not_found", new TokenNotFound(TokenId.of(tokenId)));
      assertThat(asker.replyTo("g-1").get("type").stringValue()).isEqualTo("token.not_found");

      bystander.send("ping", "x", Map.of());
      assertThat(bystander.next().get("type").stringValue()).isEqualTo("pong");
    }
  }

  @Test
  void graphEventsFanOutToTheGraphTopicAndBothEndTokens() {
    String source = UUID.randomUUID().toString();
    String target = UUID.randomUUID().toString();
    try (WsClient graph = connect(""); WsClient from = connect(""); WsClient to = connect("");
        WsClient tokens = connect("")) {
      graph.send("subscribe", "a", Map.of("topic", "graph"));
      assertThat(graph.replyTo("a").get("type").stringValue()).isEqualTo("subscribed");
      from.send("subscribe", "b", Map.of("topic", "token:" + source));
      from.replyTo("b");
      to.send("subscribe", "c", Map.of("topic", "token:" + target));
      to.replyTo("c");
      tokens.send("subscribe", "d", Map.of("topic", "tokens"));
      tokens.replyTo("d");

      String connectionId = UUID.randomUUID().toString();
      JsonNode data = Json.tree(Map.of("connection_id", connectionId, "source_id", source, "target_id", target,
          "type", "generic", "weight", 0.5));
      kafka.publishTokenEvent(TOPICS.graphEvents(), "graph.connected", source, data);

      JsonNode seenByGraph = graph.next("graph.connected");
      assertThat(seenByGraph.get("topic").stringValue()).isEqualTo("graph");
      assertThat(seenByGraph.get("cursor").stringValue()).startsWith("1.");
      assertThat(seenByGraph.get("payload")).isEqualTo(data);
      assertThat(from.next("graph.connected").get("topic").stringValue()).isEqualTo("token:" + source);
      assertThat(to.next("graph.connected").get("topic").stringValue()).isEqualTo("token:" + target);

      tokens.send("ping", "after", Map.of());
      assertThat(tokens.next().get("type").stringValue()).as("graph events are not token events").isEqualTo("pong");
    }
  }

  @Test
  void anEventPublishedTwiceWithTheSameIdReachesSubscribersOnce() {
    String tokenId = UUID.randomUUID().toString();
    try (WsClient client = connect("")) {
      client.send("subscribe", "a", Map.of("topic", "token:" + tokenId));
      client.replyTo("a");

      EventMessage first = kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.created", tokenId,
          Json.tree(Map.of("token_id", tokenId, "version", 1)));
      // What a relay that crashed between sending and recording does: the same event again.
      kafka.send(TOPICS.tokenEvents(), tokenId, Json.write(first));
      kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.updated", tokenId,
          Json.tree(Map.of("token_id", tokenId, "version", 2)));

      assertThat(client.next().get("type").stringValue()).isEqualTo("token.created");
      assertThat(client.next().get("type").stringValue()).as("the repeat is dropped").isEqualTo("token.updated");
    }
  }

  @Test
  void graphRequestsGoToTheGraphCommandTopicKeyedByTheTokenTheyStartFrom() {
    KafkaTestSupport.Reader commands = kafka.reader(TOPICS.graphCommands());
    String source = UUID.randomUUID().toString();
    String connection = UUID.randomUUID().toString();
    try (WsClient client = connect("?client_id=grapher")) {
      client.send("graph.connect", "bad-1", Map.of("source_id", source, "target_id", "nope", "weight", 1.5));
      JsonNode invalid = client.next();
      assertError(invalid, "VALIDATION_FAILED", "bad-1");
      assertThat(invalid.get("payload").get("details")).hasSize(2);
      client.send("graph.connect", "bad-2", Map.of("target_id", source));
      assertError(client.next(), "VALIDATION_FAILED", "bad-2");
      client.send("graph.neighbors", "bad-3", Map.of("token_id", source, "direction", "sideways"));
      assertError(client.next(), "VALIDATION_FAILED", "bad-3");
      client.send("graph.path", "bad-4", Map.of("source_id", source, "target_id", source, "max_depth", 11));
      assertError(client.next(), "VALIDATION_FAILED", "bad-4");
      client.send("graph.disconnect", "bad-5", Map.of("connection_id", 12));
      assertError(client.next(), "VALIDATION_FAILED", "bad-5");

      client.send("graph.connect", "g-1", Map.of("source_id", source, "target_id", UUID.randomUUID().toString()));
      ConsumerRecord<String, String> connect = commands.nextFrom("grapher");
      assertThat(connect.key()).isEqualTo(source);
      CommandMessage command = Json.read(connect.value(), CommandMessage.class);
      assertThat(command.type()).isEqualTo("graph.connect");
      assertThat(command.requestId()).as("the first graph command is the first valid one").isEqualTo("g-1");
      assertThat(command.payload().get("type").stringValue()).as("defaults filled").isEqualTo("generic");
      client.send("graph.disconnect", "g-2", Map.of("connection_id", connection));
      assertThat(commands.nextFrom("grapher").key()).isEqualTo(connection);
      client.send("graph.stats", "g-3", Map.of());
      assertThat(commands.nextFrom("grapher").key()).isNull();
    }
  }

  @Test
  void aRequestNobodyAnswersTimesOut() {
    try (WsClient client = connect("")) {
      client.send("token.count", "t-1", Map.of());
      JsonNode error = client.replyTo("t-1");
      assertError(error, "TIMEOUT", "t-1");
    }
  }

  @Test
  void operatorMessagesReachClientsThroughKafka() {
    try (WsClient subscriber = connect(""); WsClient plain = connect("")) {
      subscriber.send("subscribe", "s", Map.of("topic", "system"));
      subscriber.replyTo("s");
      http.post().uri("/ws/broadcast").bodyValue(Map.of("message", "hello all")).exchange()
          .expectStatus().isAccepted();
      assertThat(plain.next("system.broadcast").get("payload").get("message").stringValue()).isEqualTo("hello all");
      assertThat(subscriber.next("system.broadcast").has("topic")).isFalse();

      http.post().uri("/ws/publish/system").bodyValue(Map.of("message", "to subscribers")).exchange()
          .expectStatus().isAccepted();
      JsonNode published = subscriber.next("system.message");
      assertThat(published.get("topic").stringValue()).isEqualTo("system");
      assertThat(published.get("cursor").stringValue()).startsWith("1.");

      http.post().uri("/ws/publish/nowhere").bodyValue(Map.of("m", 1)).exchange().expectStatus().isNotFound();
      http.post().uri("/ws/broadcast").header("Content-Type", "application/json").bodyValue("[1,2]").exchange()
          .expectStatus().isBadRequest();
    }
  }

  @Test
  void statsAndConnectionsDescribeThisInstance() {
    try (WsClient client = connect("?client_id=observed")) {
      client.send("subscribe", "s", Map.of("topic", "tokens"));
      client.replyTo("s");
      http.get().uri("/ws/connections").exchange().expectStatus().isOk()
          .expectBody()
          .jsonPath("$.instance_id").isEqualTo(properties.instanceId())
          .jsonPath("$.connections[?(@.client_id == 'observed')].subscriptions[0]").isEqualTo("tokens");
      http.get().uri("/ws/stats").exchange().expectStatus().isOk()
          .expectBody()
          .jsonPath("$.sessions.connections").value(n -> assertThat(((Number) n).intValue()).isPositive())
          .jsonPath("$.sessions.subscribers_by_topic.tokens").value(n -> assertThat(((Number) n).intValue()).isPositive());
    }
  }

  @Test
  void aFrameOverOneMebibyteClosesWith1009AndOthersAreUnaffected() throws Exception {
    try (WsClient big = connect(""); WsClient bystander = connect("")) {
      String payload = "{\"type\":\"ping\",\"payload\":{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}}";
      big.sendText(payload);
      assertThat(big.closeCode().get(WsClient.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1009);
      bystander.send("ping", "fine", Map.of());
      assertThat(bystander.replyTo("fine").get("type").stringValue()).isEqualTo("pong");
    }
  }

  @Test
  void aSingleOversizedFrameAlsoClosesWith1009() {
    String big = "{\"type\":\"ping\",\"payload\":{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}}";
    var status = reactor.netty.http.client.HttpClient.create().websocket().uri("ws://localhost:" + port + "/ws")
        .handle((in, out) -> out.sendObject(reactor.core.publisher.Mono.just(
                new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(big)))
            .then()
            .thenMany(in.receiveCloseStatus()))
        .blockFirst(WsClient.WAIT);
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1009);
  }

  @Test
  void aFrameJustUnderTheLimitIsProcessed() {
    try (WsClient client = connect("")) {
      String pad = "x".repeat(1024 * 1024 - 200);
      client.sendText("{\"id\":\"near\",\"type\":\"ping\",\"payload\":{\"pad\":\"" + pad + "\"}}");
      assertThat(client.replyTo("near").get("type").stringValue()).isEqualTo("pong");
    }
  }

  @Test
  void theRootServesTheTokenMonitorAndItsAssetsRevalidated() {
    http.get().uri("/").exchange().expectStatus().isOk()
        .expectBody(String.class).value(body -> assertThat(body).contains("NeuroGraph Token Monitor",
            "/assets/monitor.js", "/assets/monitor.css"));
    for (String asset : List.of("/assets/monitor.js", "/assets/monitor.css")) {
      http.get().uri(asset).exchange().expectStatus().isOk()
          .expectHeader().value("Cache-Control", value -> assertThat(value).contains("no-cache"));
    }
  }

  @Test
  void readinessReportsTheKafkaStreams() {
    await().atMost(WsClient.WAIT).untilAsserted(() ->
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
  }

  static void assertError(JsonNode message, String code, String originalId) {
    assertThat(message.get("type").stringValue()).as(message.toString()).isEqualTo("error");
    JsonNode payload = message.get("payload");
    assertThat(payload.get("code").stringValue()).as(message.toString()).isEqualTo(code);
    assertThat(payload.get("message").stringValue()).isNotBlank();
    if (originalId == null) {
      assertThat(payload.has("original_message_id")).isFalse();
    } else {
      assertThat(payload.get("original_message_id").stringValue()).isEqualTo(originalId);
      assertThat(message.get("correlation_id").stringValue()).isEqualTo(originalId);
    }
  }
}
