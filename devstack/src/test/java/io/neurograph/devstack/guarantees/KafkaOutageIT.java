package io.neurograph.devstack.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fault: the Kafka broker stops (clean shutdown) while clients are working, and comes back on the same
 * port with the same log directory. No service is restarted.
 *
 * <p>While it is down every request that needs a service ends in {@code error TIMEOUT} or {@code
 * UNAVAILABLE} (no hang, no closed connection, no internal detail) and the gateway still answers what
 * it answers itself (ping). After it is back: new commands work, events reach subscribers again (graph
 * projection included), and every create sent before or during the outage exists exactly once, with the
 * token id that was acknowledged; retrying a failed create with the same id completes it.
 */
class KafkaOutageIT {

  static final int BEFORE = 5;
  static final int IN_FLIGHT_AT_STOP = 10;
  static final int WHILE_DOWN = 5;
  static final Duration RECOVERY = Duration.ofSeconds(120);
  static final String TYPE = "outage";

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static KafkaFaultPlatform platform;

  @BeforeAll
  static void start() {
    platform = KafkaFaultPlatform.start("kafka");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aBrokerRestartNeedsNoServiceRestartAndLosesOrDoublesNothing() throws Exception {
    try {
      brokerRestart();
    } catch (AssertionError | RuntimeException e) {
      System.out.println(platform.diagnostics());
      throw e;
    }
  }

  private void brokerRestart() throws Exception {
    long gatewayPid = platform.gateway().pid();
    long tokenPid = platform.tokenService().pid();
    long graphPid = platform.graphService().pid();
    String clientId = "outage-" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, JsonNode> outcomes = new LinkedHashMap<>();
    Map<String, String> acknowledged = new HashMap<>();
    List<String> creates = new ArrayList<>();

    try (WsClient actor = connect(clientId); WsClient watcher = connect("outage-watcher")) {
      subscribe(watcher, "tokens");
      subscribe(watcher, "graph");

      // The first commands of freshly started services can exceed the 10 s request timeout on a busy
      // machine (connection pools, first metadata, JIT): retried with the same id, as a client would.
      for (int i = 0; i < BEFORE; i++) {
        String id = "before-" + i;
        creates.add(id);
        outcomes.put(id, createUntilCreated(actor, id));
      }

      // Creates in flight while the broker goes away, then creates and a read sent while it is away.
      for (int i = 0; i < IN_FLIGHT_AT_STOP; i++) {
        creates.add(create(actor, "in-flight-" + i));
      }
      long stopping = System.nanoTime();
      platform.stopKafka();
      System.out.printf("kafka outage: broker stopped in %d ms%n", millisSince(stopping));
      assertThat(platform.kafkaPortListening()).as("the stopped broker released its port").isFalse();

      long downSince = System.nanoTime();
      for (int i = 0; i < WHILE_DOWN; i++) {
        creates.add(create(actor, "while-down-" + i));
      }
      String readId = "read-while-down";
      actor.send("token.count", readId, Map.of("type", TYPE));
      actor.send("ping", "ping-while-down", Map.of());
      assertThat(type(actor.replyTo("ping-while-down"))).as("the gateway itself still answers").isEqualTo("pong");

      List<String> waiting = new ArrayList<>(creates.subList(BEFORE, creates.size()));
      waiting.add(readId);
      List<String> failed = new ArrayList<>();
      Map<String, Integer> codes = new TreeMap<>();
      long slowestAnswer = 0;
      for (int answered = 0; answered < waiting.size(); answered++) {
        JsonNode reply = actor.next(m -> m.has("correlation_id")
            && waiting.contains(m.get("correlation_id").stringValue()));
        slowestAnswer = millisSince(downSince);
        String id = reply.get("correlation_id").stringValue();
        assertThat(outcomes.put(id, reply)).as("one answer per request: " + id).isNull();
        if (!"token.created".equals(type(reply))) {
          assertRefusedCleanly(reply);
          failed.add(id);
          codes.merge(reply.get("payload").get("code").stringValue(), 1, Integer::sum);
        } else {
          codes.merge("token.created", 1, Integer::sum);
        }
      }
      assertThat(outcomes.get(readId).get("type").stringValue()).as("a read needs the service").isEqualTo("error");

      // Later in the same outage, after the producers have seen their first failures: still clean refusals,
      // for graph requests too.
      List<String> late = new ArrayList<>();
      for (int i = 0; i < WHILE_DOWN; i++) {
        String id = create(actor, "late-while-down-" + i);
        creates.add(id);
        late.add(id);
      }
      actor.send("graph.stats", "graph-while-down", Map.of());
      late.add("graph-while-down");
      for (int answered = 0; answered < late.size(); answered++) {
        JsonNode reply = actor.next(m -> m.has("correlation_id")
            && late.contains(m.get("correlation_id").stringValue()));
        String id = reply.get("correlation_id").stringValue();
        assertThat(outcomes.put(id, reply)).as("one answer per request: " + id).isNull();
        assertRefusedCleanly(reply);
        codes.merge(reply.get("payload").get("code").stringValue(), 1, Integer::sum);
        failed.add(id);
      }
      waiting.addAll(late);
      slowestAnswer = millisSince(downSince);
      assertThat(actor.isClosed()).as("the connection stays open").isFalse();
      assertThat(watcher.isClosed()).isFalse();
      String healthWhileDown = health();
      System.out.printf("kafka outage: %d requests answered while down %s, last answer %d ms after the stop;"
          + " gateway readiness while down: %s%n", waiting.size(), codes, slowestAnswer, healthWhileDown);
      failed.remove(readId);
      failed.remove("graph-while-down");

      long restarting = System.nanoTime();
      platform.startKafka();
      long brokerUp = System.nanoTime();
      System.out.printf("kafka outage: broker down for %d ms, restarted in %d ms%n",
          (brokerUp - downSince) / 1_000_000, (brokerUp - restarting) / 1_000_000);

      // Recovery: a fresh create, retried with the same id as a client would, until it is created.
      String first = "after-0";
      creates.add(first);
      JsonNode firstAfter = createUntilCreated(actor, first);
      outcomes.put(first, firstAfter);
      long commandsBack = millisSince(brokerUp);
      String firstAfterToken = firstAfter.get("payload").get("token_id").stringValue();
      // Bounded like the rest of the recovery: once in CI this first event took longer than 30 s after its
      // reply (cause not found; a failure prints the services' warnings). Lost events fail the checks below.
      watcher.next(m -> "token.created".equals(type(m)) && firstAfterToken.equals(tokenId(m)), RECOVERY);
      long eventsBack = millisSince(brokerUp);
      System.out.printf("kafka outage: after the broker was up, commands worked in %d ms, events in %d ms%n",
          commandsBack, eventsBack);

      // Not lost: every create that reached the command topic takes effect without the client sending it
      // again, including those the client was told TIMEOUT or UNAVAILABLE about.
      List<String> accepted = requestIdsOnTopic(platform.topic("tokens.commands"), clientId);
      assertThat(accepted).as("the creates acknowledged before the stop were on the topic")
          .containsAll(creates.subList(0, BEFORE));
      await().atMost(RECOVERY).untilAsserted(() -> assertThat(storedRequests()).containsAll(accepted));
      long acceptedButRefused = failed.stream().filter(accepted::contains).count();
      System.out.printf("kafka outage: %d refused creates had reached Kafka and took effect without a retry%n",
          acceptedButRefused);

      // Every refused create completes with the same id; an acknowledged one is not created again.
      for (String id : failed) {
        outcomes.put(id, createUntilCreated(actor, id));
      }
      for (int i = 1; i < 3; i++) {
        String id = "after-" + i;
        creates.add(id);
        outcomes.put(id, createUntilCreated(actor, id));
      }
      outcomes.forEach((id, reply) -> {
        if ("token.created".equals(type(reply))) {
          acknowledged.put(id, reply.get("payload").get("token_id").stringValue());
        }
      });
      assertThat(acknowledged.keySet()).containsExactlyInAnyOrderElementsOf(creates);
      String again = creates.get(0);
      create(actor, again);
      assertThat(tokenId(actor.replyTo(again))).as("re-sent create returns the original")
          .isEqualTo(acknowledged.get(again));

      // Every token's created event reaches the subscriber once, including those whose events waited in an
      // outbox while the broker was away.
      Set<String> expectedEvents = new HashSet<>(acknowledged.values());
      Set<String> seenEvents = new HashSet<>();
      List<String> duplicates = new ArrayList<>();
      seenEvents.add(firstAfterToken);
      for (JsonNode m : watcher.drain()) {
        recordCreatedEvent(m, seenEvents, duplicates);
      }
      while (!seenEvents.containsAll(expectedEvents)) {
        recordCreatedEvent(watcher.next("token.created"), seenEvents, duplicates);
      }

      // graph-service consumed token events across the outage: a token created after it can be connected.
      String before = acknowledged.get(creates.get(1));
      String after = acknowledged.get("after-2");
      JsonNode connected = graphConnectUntilDone(actor, before, after);
      String connectionId = connected.get("payload").get("connection_id").stringValue();
      watcher.next(m -> "graph.connected".equals(type(m))
          && connectionId.equals(m.get("payload").get("connection_id").stringValue()));
      for (JsonNode m : watcher.drain()) {
        recordCreatedEvent(m, seenEvents, duplicates);
      }
      assertThat(duplicates).as("no created event delivered twice").isEmpty();
      assertThat(actor.isClosed()).isFalse();
    }

    try (Connection db = platform.database(); Statement query = db.createStatement();
        ResultSet rs = query.executeQuery(
            "SELECT metadata->>'request', token_id::text FROM tokens WHERE type = '" + TYPE + "'")) {
      Map<String, List<String>> rows = new HashMap<>();
      while (rs.next()) {
        rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
      assertThat(rows.keySet()).as("every create became a token").containsExactlyInAnyOrderElementsOf(creates);
      rows.forEach((request, tokens) -> assertThat(tokens).as("exactly the acknowledged token, once: " + request)
          .containsExactly(acknowledged.get(request)));
    }
    assertThat(platform.readAll(Topics.deadLetter(platform.topic("tokens.commands"))))
        .as("no command was dead-lettered because of the outage").isEmpty();
    assertThat(platform.readAll(Topics.deadLetter(platform.topic("graph.commands")))).isEmpty();
    await().atMost(RECOVERY).until(() -> health().startsWith("200"));
    assertThat(platform.gateway().pid()).isEqualTo(gatewayPid);
    assertThat(platform.tokenService().pid()).isEqualTo(tokenPid);
    assertThat(platform.graphService().pid()).isEqualTo(graphPid);
    assertThat(platform.gateway().isAlive() && platform.tokenService().isAlive() && platform.graphService().isAlive())
        .as("no service died or was restarted").isTrue();
  }

  /** The request ids of this client's commands on a topic, in no particular order. */
  private static List<String> requestIdsOnTopic(String topic, String clientId) {
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<String, String> record : platform.readAll(topic)) {
      if (clientId.equals(header(record, KafkaHeaderNames.CLIENT_ID))) {
        ids.add(header(record, KafkaHeaderNames.REQUEST_ID));
      }
    }
    return ids;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The request ids of the stored tokens of this test. */
  private static Set<String> storedRequests() throws Exception {
    Set<String> requests = new HashSet<>();
    try (Connection db = platform.database(); Statement query = db.createStatement();
        ResultSet rs = query.executeQuery("SELECT metadata->>'request' FROM tokens WHERE type = '" + TYPE + "'")) {
      while (rs.next()) {
        requests.add(rs.getString(1));
      }
    }
    return requests;
  }

  private static void recordCreatedEvent(JsonNode message, Set<String> seen, List<String> duplicates) {
    if ("token.created".equals(type(message)) && !seen.add(tokenId(message))) {
      duplicates.add(tokenId(message));
    }
  }

  /** An error a client can act on: TIMEOUT or UNAVAILABLE, in words, with nothing internal in it. */
  private static void assertRefusedCleanly(JsonNode reply) {
    assertThat(type(reply)).as(reply.toString()).isEqualTo("error");
    JsonNode payload = reply.get("payload");
    assertThat(payload.get("code").stringValue()).as(reply.toString()).isIn("TIMEOUT", "UNAVAILABLE");
    assertThat(payload.toString()).as("no internal detail")
        .doesNotContain("Exception", "org.apache", "io.neurograph", "127.0.0.1", "kafka", "Kafka");
  }

  private static JsonNode createUntilCreated(WsClient client, String id) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await().atMost(RECOVERY).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
      create(client, id);
      JsonNode reply = client.replyTo(id);
      last.set(reply);
      if ("token.created".equals(type(reply))) {
        return true;
      }
      assertRefusedCleanly(reply);
      return false;
    });
    return last.get();
  }

  private static JsonNode graphConnectUntilDone(WsClient client, String source, String target) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    String id = "connect-after-outage";
    await().atMost(RECOVERY).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
      client.send("graph.connect", id, Map.of("source_id", source, "target_id", target, "type", TYPE));
      JsonNode reply = client.replyTo(id);
      last.set(reply);
      if ("graph.connected".equals(type(reply))) {
        return true;
      }
      assertRefusedCleanly(reply);
      return false;
    });
    return last.get();
  }

  private static String create(WsClient client, String id) {
    client.send("token.create", id, Map.of("type", TYPE, "metadata", Map.of("request", id)));
    return id;
  }

  private static WsClient connect(String clientId) {
    WsClient client = WsClient.connect(platform.ws("?client_id=" + clientId));
    assertThat(type(client.next())).isEqualTo("connection.established");
    return client;
  }

  private static void subscribe(WsClient client, String topic) {
    String id = "sub-" + topic;
    client.send("subscribe", id, Map.of("topic", topic));
    assertThat(type(client.replyTo(id))).isEqualTo("subscribed");
  }

  /** The gateway's readiness as "status body". */
  private static String health() {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create(platform.gateway().baseUrl() + "/actuator/health/readiness"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private static String type(JsonNode message) {
    return message.get("type").stringValue();
  }

  private static String tokenId(JsonNode message) {
    return message.get("payload").get("token_id").stringValue();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
