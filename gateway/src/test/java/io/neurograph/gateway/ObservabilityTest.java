package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenNotFound;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Trace context from a client frame through Kafka and back, the per-request log line, and the Prometheus
 * meters, against a real Kafka broker (the test plays token-service).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ObservabilityTest {

  static final String PREFIX = "obs-" + UUID.randomUUID().toString().substring(0, 8);
  static final Topics TOPICS = new Topics(PREFIX);
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  static KafkaTestSupport kafka;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "1");
    // Small, so a client that stops reading is closed with 4008 after a few MB (socket buffers included).
    registry.add("neurograph.gateway.outbound.max-messages", () -> "50");
    registry.add("neurograph.gateway.outbound.max-bytes", () -> "512KB");
    // The stalled client reads again only after the other one got every event: it must still get the close frame.
    registry.add("neurograph.gateway.outbound.close-grace", () -> "10m");
  }

  @LocalServerPort int port;
  @Autowired WebTestClient http;
  @Autowired Environment environment;

  @BeforeAll
  static void startKafkaClients() {
    kafka = new KafkaTestSupport();
  }

  @AfterAll
  static void stopKafkaClients() {
    kafka.close();
  }

  WsClient connect(String clientId) {
    WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws?client_id=" + clientId));
    client.next("connection.established");
    return client;
  }

  static String frame(String type, String id, Object payload, String traceparent) {
    return Json.write(Map.of("id", id, "type", type, "payload", payload, "traceparent", traceparent));
  }

  static String traceId(String traceparent) {
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    return traceparent.substring(3, 35);
  }

  @Test
  void aClientTraceGoesThroughKafkaAndComesBackOnTheReplyAndInTheLog() {
    Logger requests = (Logger) LoggerFactory.getLogger("neurograph.requests");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    requests.addAppender(captured);
    KafkaTestSupport.Reader commands = kafka.reader(TOPICS.tokenCommands());
    String tokenId = UUID.randomUUID().toString();
    try (WsClient client = connect("traced")) {
      client.sendText(frame("token.get", "t-1", Map.of("token_id", tokenId), TRACEPARENT));

      ConsumerRecord<String, String> record = commands.nextFrom("traced");
      Header header = record.headers().lastHeader(KafkaHeaderNames.TRACEPARENT);
      assertThat(header).as("the command carries the trace").isNotNull();
      String commandTrace = new String(header.value(), StandardCharsets.UTF_8);
      assertThat(traceId(commandTrace)).isEqualTo(TRACE_ID);
      assertThat(commandTrace).as("the gateway's own span, a child of the client's").isNotEqualTo(TRACEPARENT);
      CommandMessage command = Json.read(record.value(), CommandMessage.class);
      kafka.reply(TOPICS.gatewayReplies(), command, "token.not_found", new TokenNotFound(TokenId.of(tokenId)));

      JsonNode reply = client.replyTo("t-1");
      assertThat(reply.get("type").stringValue()).isEqualTo("token.not_found");
      assertThat(traceId(reply.get("traceparent").stringValue())).isEqualTo(TRACE_ID);
    }
    await().atMost(WsClient.WAIT).until(() -> captured.list.stream()
        .anyMatch(event -> event.getFormattedMessage().contains("t-1")));
    requests.detachAppender(captured);
    ILoggingEvent line = captured.list.stream().filter(event -> event.getFormattedMessage().contains("t-1"))
        .findFirst().orElseThrow();
    assertThat(line.getFormattedMessage()).contains("token.get", "token.not_found");
    assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID);
    // What production writes (logging.structured.format.console=ecs): one JSON object with the trace id.
    assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    StructuredLogEncoder encoder = new StructuredLogEncoder();
    encoder.setContext(requests.getLoggerContext());
    encoder.setFormat("ecs");
    encoder.start();
    JsonNode json = Json.parse(new String(encoder.encode(line), StandardCharsets.UTF_8));
    encoder.stop();
    assertThat(json.toString()).contains(TRACE_ID);
    assertThat(json.get("message").stringValue()).contains("t-1");
  }

  @Test
  void gatewayAnswersCarryTheTraceAndAnInvalidTraceparentStartsANewOne() {
    try (WsClient client = connect("pinger")) {
      client.sendText(frame("ping", "p-1", Map.of(), TRACEPARENT));
      assertThat(traceId(client.replyTo("p-1").get("traceparent").stringValue())).isEqualTo(TRACE_ID);

      client.sendText(frame("no.such.type", "u-1", Map.of(), TRACEPARENT));
      JsonNode error = client.replyTo("u-1");
      assertThat(error.get("type").stringValue()).isEqualTo("error");
      assertThat(traceId(error.get("traceparent").stringValue())).as("a refused frame continues the trace too")
          .isEqualTo(TRACE_ID);

      for (String invalid : List.of("garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
          "ff-" + TRACE_ID + "-00f067aa0ba902b7-01", "00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01")) {
        client.sendText(frame("ping", "p-2", Map.of(), invalid));
        JsonNode pong = client.replyTo("p-2");
        assertThat(pong.get("type").stringValue()).as(invalid).isEqualTo("pong");
        assertThat(traceId(pong.get("traceparent").stringValue())).as(invalid).isNotEqualTo(TRACE_ID);
      }
      client.send("ping", "p-3", Map.of());
      assertThat(client.replyTo("p-3").get("traceparent")).as("without traceparent: a new trace").isNotNull();
    }
  }

  @Test
  void deliveriesCarryTheEventsTraceparent() {
    try (WsClient client = connect("subscriber")) {
      client.send("subscribe", "s-1", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s-1").get("type").stringValue()).isEqualTo("subscribed");
      String tokenId = UUID.randomUUID().toString();
      EventMessage event = new EventMessage(UUID.randomUUID().toString(), "token.deleted", 1, Instant.now(),
          "neurograph/token-service", tokenId, "req-1", Json.tree(Map.of("token_id", tokenId)));
      kafka.send(TOPICS.tokenEvents(), tokenId, Json.write(event), Map.of(KafkaHeaderNames.TRACEPARENT, TRACEPARENT));
      kafka.publishTokenEvent(TOPICS.tokenEvents(), "token.deleted", UUID.randomUUID().toString(),
          Json.tree(Map.of("token_id", tokenId)));

      JsonNode traced = client.next("token.deleted");
      assertThat(traced.get("event_id").stringValue()).isEqualTo(event.eventId());
      assertThat(traced.get("traceparent").stringValue()).isEqualTo(TRACEPARENT);
      assertThat(client.next("token.deleted").has("traceparent")).as("an event without one has none").isFalse();
    }
  }

  @Test
  void prometheusShowsTheGatewayMetersMoving() throws Exception {
    String tokenId = UUID.randomUUID().toString();
    try (WsClient client = connect("metered"); WsClient stalled = connect("stalled")) {
      client.send("ping", "m-1", Map.of());
      client.replyTo("m-1");
      client.send("no.such.type", "m-2", Map.of());
      client.replyTo("m-2");
      for (WsClient subscriber : List.of(client, stalled)) {
        subscriber.send("subscribe", "m-3", Map.of("topic", "token:" + tokenId));
        subscriber.replyTo("m-3");
      }
      stalled.stopReading();
      // ~16 KiB per event: far more than the socket buffers plus the 512 KB outbound budget of the stalled one.
      String pad = "p".repeat(16 * 1024);
      for (int i = 0; i < 800; i++) {
        kafka.publishTokenEventAsync(TOPICS.tokenEvents(), "token.updated", tokenId,
            Json.tree(Map.of("token_id", tokenId, "seq", i, "pad", pad)));
      }
      kafka.flush();
      for (int i = 0; i < 800; i++) {
        client.next("token.updated");
      }
      stalled.resumeReading();
      assertThat(stalled.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4008);
    }

    await().atMost(WsClient.WAIT).untilAsserted(() -> {
      String text = scrape();
      assertThat(value(text, "neurograph_gateway_connections_opened_total")).isGreaterThanOrEqualTo(2);
      assertThat(value(text, "neurograph_gateway_connections_closed_total", "code=\"4008\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_connections_closed_total", "code=\"peer\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_slow_consumer_closes_total")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_messages_in_total", "type=\"ping\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_messages_in_total", "type=\"unknown\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_messages_out_total", "type=\"pong\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_messages_out_total", "type=\"token.updated\""))
          .isGreaterThanOrEqualTo(800);
      assertThat(value(text, "neurograph_gateway_errors_total", "code=\"UNKNOWN_TYPE\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_request_duration_seconds_count", "type=\"ping\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_request_duration_seconds_bucket", "type=\"ping\"", "le=\"+Inf\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(value(text, "neurograph_gateway_event_age_seconds_count")).isGreaterThanOrEqualTo(800);
      assertThat(value(text, "neurograph_gateway_event_age_seconds_bucket", "le=\"+Inf\"")).isGreaterThanOrEqualTo(800);
      assertThat(text).contains("neurograph_gateway_connections ", "neurograph_gateway_outbound_fill_max ",
          "neurograph_gateway_outbound_queued ");
      assertThat(text.lines().filter(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag_max")
          && line.contains("gateway-events"))).as("lag of the event consumer").isNotEmpty();
    });
  }

  @Test
  void probesUseHealthGroups() {
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.components").doesNotExist();
    await().atMost(WsClient.WAIT).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.components.kafkaStreams.status").isEqualTo("UP"));
  }

  private String scrape() {
    return http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
  }

  /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
  private static double value(String text, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.lines().toList()) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean matches = true;
      for (String label : labels) {
        matches &= line.contains(label);
      }
      if (matches) {
        found = true;
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    assertThat(found).as("%s %s in%n%s", name, List.of(labels), text.lines()
        .filter(line -> line.startsWith("neurograph_")).limit(40).toList()).isTrue();
    return sum;
  }
}
