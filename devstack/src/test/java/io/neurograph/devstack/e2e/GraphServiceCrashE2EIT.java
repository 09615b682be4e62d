package io.neurograph.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Acceptance: graph-service is killed with SIGKILL during a burst of connects, then restarted. Every
 * connect becomes exactly one edge, acknowledged or completed by a retry with the same id, and each edge
 * has exactly one {@code graph.connected} event: in Kafka (one event id per edge) and at a subscribed
 * client. Likewise when it is killed while a token deletion removes the token's edges: every edge goes,
 * each with exactly one {@code graph.disconnected} event.
 */
class GraphServiceCrashE2EIT {

  static final int ACKNOWLEDGED_FIRST = 20;
  static final int IN_FLIGHT_AT_KILL = 10;
  static final int WHILE_DOWN = 20;
  static final int CONNECTS = ACKNOWLEDGED_FIRST + IN_FLIGHT_AT_KILL + WHILE_DOWN;

  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start("graph-crash", true);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void killMinusNineDuringABurstOfConnectsLosesNothingAndDoublesNothing() throws Exception {
    String clientId = "graph-crash-" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, JsonNode> outcomes = new LinkedHashMap<>();
    Map<String, String> connectionIds = new HashMap<>();
    List<String> ids = new ArrayList<>();
    String markerId;
    try (WsClient client = WsClient.connect(platform.ws("?client_id=" + clientId));
        WsClient watcher = WsClient.connect(platform.ws("?client_id=graph-crash-watcher"))) {
      client.next("connection.established");
      watcher.next("connection.established");
      watcher.send("subscribe", "w", Map.of("topic", "graph"));
      assertThat(watcher.replyTo("w").get("type").stringValue()).isEqualTo("subscribed");

      List<String> tokens = new ArrayList<>();
      for (int i = 0; i <= CONNECTS + 1; i++) {
        client.send("token.create", "token-" + i, Map.of("type", "graph-crash"));
        tokens.add(client.replyTo("token-" + i).get("payload").get("token_id").stringValue());
      }

      // Connects that complete normally...
      for (int i = 0; i < ACKNOWLEDGED_FIRST; i++) {
        String id = send(client, tokens, i);
        ids.add(id);
        JsonNode reply = client.replyTo(id);
        assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("graph.connected");
        outcomes.put(id, reply);
      }
      // ...connects in flight when the process dies...
      int n = ACKNOWLEDGED_FIRST;
      for (; n < ACKNOWLEDGED_FIRST + IN_FLIGHT_AT_KILL; n++) {
        ids.add(send(client, tokens, n));
      }
      platform.graphService().kill();
      assertThat(platform.graphService().isAlive()).isFalse();
      // ...and connects sent while it is down.
      for (; n < CONNECTS; n++) {
        ids.add(send(client, tokens, n));
      }
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(platform::startGraphService);

      for (int answered = ACKNOWLEDGED_FIRST; answered < ids.size(); answered++) {
        JsonNode reply = client.next(m -> m.has("correlation_id") && ids.contains(m.get("correlation_id").stringValue()));
        String id = reply.get("correlation_id").stringValue();
        assertThat(outcomes.put(id, reply)).as("one answer per request: " + id).isNull();
      }
      restarted.get(Platform.READY.toSeconds(), TimeUnit.SECONDS);

      List<String> failed = new ArrayList<>();
      outcomes.forEach((id, reply) -> {
        if ("graph.connected".equals(reply.get("type").stringValue())) {
          connectionIds.put(id, reply.get("payload").get("connection_id").stringValue());
        } else {
          assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("error");
          assertThat(reply.get("payload").get("code").stringValue()).isIn("TIMEOUT", "UNAVAILABLE");
          failed.add(id);
        }
      });
      assertThat(failed).as("connects sent while graph-service was down cannot have completed in time").isNotEmpty();
      System.out.printf("graph crash test: %d connects, %d acknowledged before the retry round, %d errors%n",
          ids.size(), ids.size() - failed.size(), failed.size());

      // Re-sending with the same id completes each failed connect, or returns what already happened.
      for (String id : failed) {
        JsonNode retry = connectUntilAnswered(client, tokens, id);
        assertThat(retry.get("type").stringValue()).as(retry.toString()).isEqualTo("graph.connected");
        connectionIds.put(id, retry.get("payload").get("connection_id").stringValue());
      }
      String firstId = ids.get(0);
      client.send("graph.connect", firstId, payload(tokens, 0, firstId));
      assertThat(client.replyTo(firstId).get("payload").get("connection_id").stringValue())
          .as("an acknowledged connect sent again changes nothing").isEqualTo(connectionIds.get(firstId));

      // A marker edge last: every event of the burst is before it, on every partition it reaches the watcher.
      markerId = "marker";
      client.send("graph.connect", markerId, payload(tokens, CONNECTS, markerId));
      String markerConnection = client.replyTo(markerId).get("payload").get("connection_id").stringValue();
      Map<String, Integer> seenByWatcher = new HashMap<>();
      Set<String> pending = new HashSet<>(connectionIds.values());
      pending.add(markerConnection);
      while (!pending.isEmpty()) {
        JsonNode event = watcher.next("graph.connected");
        String connection = event.get("payload").get("connection_id").stringValue();
        seenByWatcher.merge(connection, 1, Integer::sum);
        pending.remove(connection);
      }
      // Anything doubled would have been queued by now: ask for one more frame and see it is the pong.
      watcher.send("ping", "last", Map.of());
      JsonNode rest;
      while (!"pong".equals((rest = watcher.next()).get("type").stringValue())) {
        if ("graph.connected".equals(rest.get("type").stringValue())) {
          seenByWatcher.merge(rest.get("payload").get("connection_id").stringValue(), 1, Integer::sum);
        }
      }
      assertThat(seenByWatcher).as("each edge's event reached the watcher once")
          .allSatisfy((connection, times) -> assertThat(times).as(connection).isEqualTo(1));
    }

    Map<String, Set<String>> eventIdsPerEdge = eventsInKafka("graph.connected", new HashSet<>(connectionIds.values()));
    assertThat(eventIdsPerEdge.keySet()).containsExactlyInAnyOrderElementsOf(new HashSet<>(connectionIds.values()));
    eventIdsPerEdge.forEach((edge, eventIds) ->
        assertThat(eventIds).as("one graph.connected event (one event id) for " + edge).hasSize(1));

    try (Connection db = platform.database(); Statement query = db.createStatement();
        ResultSet rs = query.executeQuery("SELECT metadata->>'request', connection_id::text FROM graph.edges"
            + " WHERE metadata->>'request' IS NOT NULL")) {
      Map<String, List<String>> rows = new HashMap<>();
      while (rs.next()) {
        rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
      List<String> expected = new ArrayList<>(ids);
      expected.add(markerId);
      assertThat(rows.keySet()).as("every request became an edge").containsExactlyInAnyOrderElementsOf(expected);
      ids.forEach(request -> assertThat(rows.get(request)).as("exactly the acknowledged edge, once: " + request)
          .containsExactly(connectionIds.get(request)));
    }
  }

  @Test
  void killMinusNineWhileATokenDeletionRemovesItsEdgesRemovesEachOnceWithOneEvent() throws Exception {
    int edgeCount = 30;
    Set<String> edges = new HashSet<>();
    String hub;
    try (WsClient client = WsClient.connect(platform.ws("?client_id=delete-crash-" + UUID.randomUUID()));
        WsClient watcher = WsClient.connect(platform.ws("?client_id=delete-crash-watcher"))) {
      client.next("connection.established");
      watcher.next("connection.established");
      client.send("token.create", "hub", Map.of("type", "delete-crash"));
      hub = client.replyTo("hub").get("payload").get("token_id").stringValue();
      for (int i = 0; i < edgeCount; i++) {
        client.send("token.create", "spoke-" + i, Map.of("type", "delete-crash"));
        String spoke = client.replyTo("spoke-" + i).get("payload").get("token_id").stringValue();
        // Half the edges leave the hub, half arrive at it.
        Map<String, Object> ends = i % 2 == 0
            ? Map.of("source_id", hub, "target_id", spoke) : Map.of("source_id", spoke, "target_id", hub);
        client.send("graph.connect", "edge-" + i, ends);
        JsonNode connected = client.replyTo("edge-" + i);
        assertThat(connected.get("type").stringValue()).as(connected.toString()).isEqualTo("graph.connected");
        edges.add(connected.get("payload").get("connection_id").stringValue());
      }
      watcher.send("subscribe", "w", Map.of("topic", "graph"));
      assertThat(watcher.replyTo("w").get("type").stringValue()).isEqualTo("subscribed");

      // token-service answers once the deletion event is in Kafka: graph-service is applying it, or about to.
      client.send("token.delete", "delete-hub", Map.of("token_id", hub));
      assertThat(client.replyTo("delete-hub").get("type").stringValue()).isEqualTo("token.deleted");
      platform.graphService().kill();
      platform.startGraphService();

      Map<String, Integer> seen = new HashMap<>();
      while (!seen.keySet().containsAll(edges)) {
        JsonNode event = watcher.next("graph.disconnected");
        assertThat(event.get("payload").get("reason").stringValue()).isEqualTo("token_deleted");
        seen.merge(event.get("payload").get("connection_id").stringValue(), 1, Integer::sum);
      }
      assertThat(seen).as("each removal reached the watcher once")
          .allSatisfy((edge, times) -> assertThat(times).as(edge).isEqualTo(1));
    }

    Map<String, Set<String>> removals = eventsInKafka("graph.disconnected", edges);
    assertThat(removals.keySet()).containsExactlyInAnyOrderElementsOf(edges);
    removals.forEach((edge, eventIds) ->
        assertThat(eventIds).as("one graph.disconnected event (one event id) for " + edge).hasSize(1));
    try (Connection db = platform.database(); Statement query = db.createStatement();
        ResultSet rs = query.executeQuery("SELECT count(*) FROM graph.edges WHERE source_id = '" + hub
            + "'::uuid OR target_id = '" + hub + "'::uuid")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no edge of the deleted token is left").isZero();
    }
  }

  /** Every event of a type about the given edges in the event topic, as edge → event ids. */
  private static Map<String, Set<String>> eventsInKafka(String type, Set<String> edges) {
    Map<String, Set<String>> found = new HashMap<>();
    String topic = platform.topicPrefix() + ".graph.events";
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "crash-check-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest", "enable.auto.commit", "false"), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int emptyPollsAfterAll = 0;
      while (System.nanoTime() < deadline && emptyPollsAfterAll < 3) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : records) {
          EventMessage event = Json.read(record.value(), EventMessage.class);
          if (type.equals(event.type())) {
            String edge = event.data().get("connection_id").stringValue();
            if (edges.contains(edge)) {
              found.computeIfAbsent(edge, k -> new HashSet<>()).add(event.eventId());
            }
          }
        }
        // Keep reading a little after every edge was seen, so a late duplicate would be caught too.
        if (found.keySet().containsAll(edges) && records.isEmpty()) {
          emptyPollsAfterAll++;
        }
      }
    }
    return found;
  }

  private static JsonNode connectUntilAnswered(WsClient client, List<String> tokens, String id) {
    int index = Integer.parseInt(id.substring("connect-".length()));
    JsonNode reply = null;
    for (int attempt = 0; attempt < 8; attempt++) {
      client.send("graph.connect", id, payload(tokens, index, id));
      reply = client.replyTo(id);
      boolean timedOut = "error".equals(reply.get("type").stringValue())
          && "TIMEOUT".equals(reply.get("payload").get("code").stringValue());
      if (!timedOut) {
        return reply;
      }
    }
    return reply;
  }

  private static Map<String, Object> payload(List<String> tokens, int i, String request) {
    // Edge i goes from token i to token i+1: all distinct, keyed by different sources.
    return Map.of("source_id", tokens.get(i), "target_id", tokens.get(i + 1), "type", "crash",
        "metadata", Map.of("request", request));
  }

  private static String send(WsClient client, List<String> tokens, int i) {
    String id = "connect-" + i;
    client.send("graph.connect", id, payload(tokens, i, id));
    return id;
  }
}
