package io.neurograph.devstack.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.devstack.guarantees.RetryingClient.Request;
import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Two gateways, two token-services and two graph-services on one broker: events reach clients of every
 * gateway, replies reach the session that asked, a command re-sent on another gateway is not applied twice,
 * and a {@code kill -9} of one instance of each kind under load loses no accepted command and doubles none.
 * The kill runs last: the other tests need all six instances.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleGuaranteeIT {

  static final int INSTANCES = 2;
  static final Duration ANSWERED = Duration.ofMinutes(2);

  static Cluster cluster;
  static ServiceProcess gatewayA;
  static ServiceProcess gatewayB;
  static String run;
  // Not the common pool: on two cores it runs one task at a time, and these clients must run together.
  static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start("scale", INSTANCES);
    gatewayA = cluster.gateways().get(0);
    gatewayB = cluster.gateways().get(1);
    run = UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterAll
  static void stop() {
    CLIENTS.shutdownNow();
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aClientOnOneGatewaySeesTheEventsCausedThroughTheOther() {
    // Watchers only listen; the commands go through clients of their own that re-send on TIMEOUT.
    try (WsClient watcherOnA = WsClient.connect(Cluster.ws(gatewayA, "fan-watch-a-" + run));
        WsClient watcherOnB = WsClient.connect(Cluster.ws(gatewayB, "fan-watch-b-" + run));
        RetryingClient viaA = new RetryingClient("fan-a-" + run, List.of(gatewayA), gatewayA);
        RetryingClient viaB = new RetryingClient("fan-b-" + run, List.of(gatewayB), gatewayB)) {
      for (WsClient watcher : List.of(watcherOnA, watcherOnB)) {
        watcher.next("connection.established");
        watcher.send("subscribe", "s-tokens", Map.of("topic", "tokens"));
        assertThat(watcher.replyTo("s-tokens").get("type").stringValue()).isEqualTo("subscribed");
        watcher.send("subscribe", "s-graph", Map.of("topic", "graph"));
        assertThat(watcher.replyTo("s-graph").get("type").stringValue()).isEqualTo("subscribed");
      }

      String x = created(viaB, "x", "fan");
      String y = created(viaB, "y", "fan");
      JsonNode connected = viaB.ask("xy", "graph.connect", Map.of("source_id", x, "target_id", y, "type", "fan"),
          ANSWERED);
      assertThat(connected.get("type").stringValue()).as(connected.toString()).isEqualTo("graph.connected");
      String edge = connected.get("payload").get("connection_id").stringValue();
      String z = created(viaA, "z", "fan");

      assertThat(event(watcherOnA, "tokens", "token.created", "token_id", x)).isNotNull();
      assertThat(event(watcherOnA, "tokens", "token.created", "token_id", y)).isNotNull();
      assertThat(event(watcherOnA, "graph", "graph.connected", "connection_id", edge).get("payload").get("source_id")
          .stringValue()).isEqualTo(x);
      assertThat(event(watcherOnB, "tokens", "token.created", "token_id", z)).isNotNull();
    }
  }

  @Test
  @Order(2)
  void everyReplyReachesTheSessionThatAskedAndNoOther() throws Exception {
    // Every client uses the same request ids, so a reply routed to the wrong session would match there.
    int clients = 4;
    int requests = 30;
    List<CompletableFuture<RetryingClient>> runs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String clientId = "route-" + c + "-" + run;
      ServiceProcess gateway = c % 2 == 0 ? gatewayA : gatewayB;
      runs.add(CompletableFuture.supplyAsync(() -> {
        RetryingClient client = new RetryingClient(clientId, List.of(gateway), gateway);
        Map<String, Request> creates = new LinkedHashMap<>();
        for (int i = 0; i < requests; i++) {
          creates.put("r-" + i, new Request("token.create",
              Map.of("type", "route", "metadata", Map.of("client", clientId, "n", i))));
        }
        Map<String, JsonNode> created = client.exchange(creates, ANSWERED);
        Map<String, Request> gets = new LinkedHashMap<>();
        Map<String, Request> counts = new LinkedHashMap<>();
        created.forEach((id, reply) -> {
          assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("token.created");
          JsonNode metadata = reply.get("payload").get("metadata");
          assertThat(metadata.get("client").stringValue()).as("reply of %s reached %s", reply, clientId)
              .isEqualTo(clientId);
          assertThat("r-" + metadata.get("n").intValue()).isEqualTo(id);
          gets.put("g-" + id.substring(2), new Request("token.get",
              Map.of("token_id", reply.get("payload").get("token_id").stringValue())));
          counts.put("n-" + id.substring(2), new Request("token.count", Map.of("type", "route")));
        });
        Map<String, Request> queries = new LinkedHashMap<>(gets);
        queries.putAll(counts);
        Map<String, JsonNode> answered = client.exchange(queries, ANSWERED);
        gets.forEach((id, request) -> {
          JsonNode reply = answered.get(id);
          assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("token.data");
          assertThat(reply.get("payload").get("token_id").stringValue()).isEqualTo(request.payload().get("token_id"));
          assertThat(reply.get("payload").get("metadata").get("client").stringValue()).isEqualTo(clientId);
        });
        counts.keySet().forEach(id ->
            assertThat(answered.get(id).get("type").stringValue()).as(answered.get(id).toString()).isEqualTo("token.count"));
        return client;
      }, CLIENTS));
    }
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<RetryingClient> future : runs) {
      try (RetryingClient client = future.get(ANSWERED.toSeconds() * 2, TimeUnit.SECONDS)) {
        System.out.printf("routing test: %s re-sent %d requests, %d of them after getting no answer at all%n",
            client.clientId(), client.resends(), client.unanswered());
        assertThat(client.strays()).as("replies %s got that were not its own", client.clientId()).isEmpty();
      } catch (ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
      }
    }
    assertThat(failures).as("what the gateways say: %s", gatewayState()).isEmpty();
  }

  @Test
  @Order(3)
  void aCommandResentOnTheOtherGatewayReturnsTheOriginalOutcomeAndChangesNothing() throws Exception {
    String clientId = "idem-" + run;
    Map<String, Object> create = Map.of("type", "idem", "metadata", Map.of("request", clientId + "/c1"));
    JsonNode createdOnA;
    JsonNode updatedOnA;
    JsonNode connectedOnA;
    String other;
    try (RetryingClient onA = new RetryingClient(clientId, List.of(gatewayA), gatewayA)) {
      createdOnA = onA.ask("c1", "token.create", create, ANSWERED);
      other = onA.ask("c2", "token.create", Map.of("type", "idem"), ANSWERED).get("payload").get("token_id")
          .stringValue();
      String token = createdOnA.get("payload").get("token_id").stringValue();
      updatedOnA = onA.ask("u1", "token.update", Map.of("token_id", token, "weight", 7), ANSWERED);
      connectedOnA = onA.ask("e1", "graph.connect", Map.of("source_id", token, "target_id", other, "type", "idem"),
          ANSWERED);
      assertThat(onA.ask("q1", "token.get", Map.of("token_id", token), ANSWERED).get("type").stringValue())
          .isEqualTo("token.data");
    }
    assertThat(createdOnA.get("type").stringValue()).as(createdOnA.toString()).isEqualTo("token.created");
    assertThat(updatedOnA.get("type").stringValue()).as(updatedOnA.toString()).isEqualTo("token.updated");
    assertThat(connectedOnA.get("type").stringValue()).as(connectedOnA.toString()).isEqualTo("graph.connected");
    String token = createdOnA.get("payload").get("token_id").stringValue();
    String edge = connectedOnA.get("payload").get("connection_id").stringValue();

    try (RetryingClient onB = new RetryingClient(clientId, List.of(gatewayB), gatewayB)) {
      JsonNode createdOnB = onB.ask("c1", "token.create", create, ANSWERED);
      assertThat(createdOnB.get("type").stringValue()).isEqualTo("token.created");
      assertThat(createdOnB.get("payload")).as("the original outcome").isEqualTo(createdOnA.get("payload"));
      assertThat(onB.ask("u1", "token.update", Map.of("token_id", token, "weight", 7), ANSWERED).get("payload"))
          .isEqualTo(updatedOnA.get("payload"));
      assertThat(onB.ask("e1", "graph.connect", Map.of("source_id", token, "target_id", other, "type", "idem"),
          ANSWERED).get("payload")).isEqualTo(connectedOnA.get("payload"));
      JsonNode queriedAgain = onB.ask("q1", "token.get", Map.of("token_id", token), ANSWERED);
      assertThat(queriedAgain.get("type").stringValue()).as("a query is simply answered again").isEqualTo("token.data");
      assertThat(queriedAgain.get("payload").get("version").intValue()).isEqualTo(2);
    }
    // The same request id from another client is another command.
    try (RetryingClient stranger = new RetryingClient("idem-other-" + run, List.of(gatewayB), gatewayB)) {
      JsonNode reply = stranger.ask("c1", "token.create", Map.of("type", "idem"), ANSWERED);
      assertThat(reply.get("payload").get("token_id").stringValue()).isNotEqualTo(token);
    }

    Map<String, List<EventMessage>> tokenEvents = eventsBySubject(cluster.topicPrefix() + ".tokens.events");
    assertThat(distinct(tokenEvents.get(token))).extracting(EventMessage::type)
        .as("one event per applied command, none for the repeats").containsExactly("token.created", "token.updated");
    Map<String, List<EventMessage>> graphEvents = eventsBySubject(cluster.topicPrefix() + ".graph.events");
    assertThat(distinct(graphEvents.get(edge))).extracting(EventMessage::type).containsExactly("graph.connected");
    try (Connection db = cluster.database();
        PreparedStatement query = db.prepareStatement("SELECT count(*) FROM tokens WHERE metadata->>'request' = ?")) {
      query.setString(1, clientId + "/c1");
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  /** Steps every load token goes through: a create, updates, and a connect to the worker's next token. */
  static final List<String> STEPS = List.of("create", "update", "update", "connect", "update", "update");
  static final int TOKENS_PER_WORKER = 8;
  static final int FINAL_VERSION = 1 + (int) STEPS.stream().filter("update"::equals).count();

  @Test
  @Order(4)
  void killingOneInstanceOfEachKindUnderLoadLosesNoCommandAndDoublesNone() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    Map<String, JsonNode> replies = new ConcurrentHashMap<>();
    Map<String, String> clientOfRequest = new ConcurrentHashMap<>();
    List<CompletableFuture<RetryingClient>> workers = new ArrayList<>();
    for (int w = 0; w < INSTANCES; w++) {
      String worker = "w" + w;
      String clientId = "load-" + w + "-" + run;
      ServiceProcess preferred = cluster.gateways().get(w);
      workers.add(CompletableFuture.supplyAsync(() -> {
        RetryingClient client = new RetryingClient(clientId, cluster.gateways(), preferred);
        List<String> tokens = new ArrayList<>();
        for (int step = 0; step < STEPS.size(); step++) {
          Map<String, Request> round = new LinkedHashMap<>();
          for (int k = 0; k < TOKENS_PER_WORKER; k++) {
            String id = worker + "-t" + k + "-s" + step;
            clientOfRequest.put(id, clientId);
            round.put(id, switch (STEPS.get(step)) {
              case "create" -> new Request("token.create", Map.of("type", "load", "metadata", Map.of("request", id)));
              case "update" -> new Request("token.update", Map.of("token_id", tokens.get(k), "weight", step));
              default -> new Request("graph.connect", Map.of("source_id", tokens.get(k),
                  "target_id", tokens.get((k + 1) % TOKENS_PER_WORKER), "type", "load",
                  "metadata", Map.of("request", id)));
            });
          }
          Map<String, JsonNode> answers = client.exchange(round, Duration.ofMinutes(3));
          answers.forEach((id, reply) -> {
            replies.put(id, reply);
            answered.incrementAndGet();
          });
          if (step == 0) {
            answers.values().forEach(r -> tokens.add(r.get("payload").get("token_id").stringValue()));
          }
        }
        return client;
      }, CLIENTS));
    }

    // Kill while the second round is under way: requests are in flight on every instance.
    await().atMost(ANSWERED).until(() -> answered.get() >= INSTANCES * TOKENS_PER_WORKER + 2);
    ServiceProcess deadGateway = cluster.gateways().get(0);
    List<ServiceProcess> victims = List.of(deadGateway, cluster.tokenServices().get(0), cluster.graphServices().get(0));
    CompletableFuture.allOf(victims.stream().map(p -> CompletableFuture.runAsync(p::kill, CLIENTS))
        .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    victims.forEach(p -> assertThat(p.isAlive()).as(p.toString()).isFalse());

    int resends = 0;
    int reconnects = 0;
    int unanswered = 0;
    for (CompletableFuture<RetryingClient> future : workers) {
      try (RetryingClient client = future.get(5, TimeUnit.MINUTES)) {
        resends += client.resends();
        reconnects += client.reconnects();
        unanswered += client.unanswered();
        assertThat(client.strays()).as("replies %s got that were not its own", client.clientId()).isEmpty();
        assertThat(client.gateway()).isNotSameAs(deadGateway);
      }
    }
    System.out.printf("scale test: %d requests, %d re-sent (%d after no answer at all), %d reconnects after the kill%n",
        replies.size(), resends, unanswered, reconnects);
    assertThat(reconnects).as("the client of the killed gateway moved to the other one").isPositive();

    // Every reply is the outcome of exactly one application: versions count the updates applied.
    Map<String, String> tokenOfCreate = new HashMap<>();
    Map<String, String> edgeOfConnect = new HashMap<>();
    replies.forEach((id, reply) -> {
      int step = Integer.parseInt(id.substring(id.lastIndexOf('s') + 1));
      String type = reply.get("type").stringValue();
      switch (STEPS.get(step)) {
        case "create" -> {
          assertThat(type).as(reply.toString()).isEqualTo("token.created");
          tokenOfCreate.put(id, reply.get("payload").get("token_id").stringValue());
        }
        case "update" -> {
          assertThat(type).as(reply.toString()).isEqualTo("token.updated");
          long updatesSoFar = STEPS.subList(0, step + 1).stream().filter("update"::equals).count();
          assertThat(reply.get("payload").get("version").intValue()).as(id).isEqualTo(1 + (int) updatesSoFar);
        }
        default -> {
          assertThat(type).as(reply.toString()).isEqualTo("graph.connected");
          edgeOfConnect.put(id, reply.get("payload").get("connection_id").stringValue());
        }
      }
    });
    assertThat(tokenOfCreate).hasSize(INSTANCES * TOKENS_PER_WORKER);

    try (Connection db = cluster.database()) {
      Map<String, List<String>> tokenRows = rows(db,
          "SELECT metadata->>'request', token_id::text, version FROM tokens WHERE type = 'load'");
      assertThat(tokenRows.keySet()).as("one token per create request").isEqualTo(tokenOfCreate.keySet());
      tokenRows.forEach((request, found) -> assertThat(found).as(request)
          .containsExactly(tokenOfCreate.get(request) + " " + FINAL_VERSION));
      Map<String, List<String>> edgeRows = rows(db,
          "SELECT metadata->>'request', connection_id::text, 0 FROM graph.edges WHERE type = 'load'");
      assertThat(edgeRows.keySet()).as("one edge per connect request").isEqualTo(edgeOfConnect.keySet());
      edgeRows.forEach((request, found) -> assertThat(found).as(request)
          .containsExactly(edgeOfConnect.get(request) + " 0"));
      // The dedupe tables hold each accepted command exactly once (command_id is their primary key).
      Set<String> tokenCommands = new LinkedHashSet<>();
      Set<String> graphCommands = new LinkedHashSet<>();
      replies.keySet().forEach(id -> (edgeOfConnect.containsKey(id) ? graphCommands : tokenCommands)
          .add(CommandMessage.commandId(clientOfRequest.get(id), id)));
      assertThat(count(db, "SELECT count(*) FROM processed_commands WHERE command_id = ANY(?)", tokenCommands))
          .isEqualTo(tokenCommands.size());
      assertThat(count(db, "SELECT count(*) FROM graph.processed_commands WHERE command_id = ANY(?)", graphCommands))
          .isEqualTo(graphCommands.size());
    }

    // Per token, the events on the topic are versions 1..n in order: no gap, no second application. A copy
    // with the same event_id is the documented at-least-once redelivery (the relay died between send and
    // commit); consumers drop it by event_id, and so does this check, after proving it is a true copy.
    Map<String, List<EventMessage>> tokenEvents = eventsBySubject(cluster.topicPrefix() + ".tokens.events");
    int redelivered = 0;
    for (String token : tokenOfCreate.values()) {
      List<EventMessage> events = tokenEvents.getOrDefault(token, List.of());
      List<EventMessage> distinct = distinct(events);
      redelivered += events.size() - distinct.size();
      assertThat(distinct).extracting(e -> e.data().get("version").intValue()).as(token)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, FINAL_VERSION).boxed().toList());
    }
    Map<String, List<EventMessage>> graphEvents = eventsBySubject(cluster.topicPrefix() + ".graph.events");
    for (String edge : edgeOfConnect.values()) {
      assertThat(distinct(graphEvents.getOrDefault(edge, List.of()))).extracting(EventMessage::type).as(edge)
          .containsExactly("graph.connected");
    }
    System.out.printf("scale test: %d token events redelivered with the same event_id%n", redelivered);
  }

  /** Both gateways' own view (admin API): per connection frames in and out and requests still waiting. */
  private static String gatewayState() {
    StringBuilder state = new StringBuilder();
    HttpClient http = HttpClient.newHttpClient();
    for (ServiceProcess gateway : cluster.gateways()) {
      for (String path : List.of("/ws/stats", "/ws/connections")) {
        try {
          state.append(System.lineSeparator()).append(gateway.name()).append(path).append(": ")
              .append(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
                  HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
          state.append(e);
        }
      }
    }
    return state.toString();
  }

  private static String created(RetryingClient client, String id, String type) {
    JsonNode reply = client.ask(id, "token.create", Map.of("type", type), ANSWERED);
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("token.created");
    return reply.get("payload").get("token_id").stringValue();
  }

  /** The event of {@code type} on {@code topic} whose payload field {@code field} is {@code value}. */
  private static JsonNode event(WsClient client, String topic, String type, String field, String value) {
    return client.next(m -> m.has("topic") && topic.equals(m.get("topic").stringValue())
        && type.equals(m.get("type").stringValue()) && value.equals(m.get("payload").get(field).stringValue()));
  }

  /**
   * Every event on a topic from its beginning to its current end, grouped by subject in topic order (one
   * subject's events share a key, so they are in one partition, in order).
   */
  private static Map<String, List<EventMessage>> eventsBySubject(String topic) {
    Map<String, List<EventMessage>> bySubject = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestKafka.bootstrapServers(), "enable.auto.commit", "false"),
        new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1)).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
              if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                EventMessage event = Json.read(record.value(), EventMessage.class);
                bySubject.computeIfAbsent(event.subject(), k -> new ArrayList<>()).add(event);
              }
            }
            return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
          });
    }
    return bySubject;
  }

  /** The events without redelivered copies (same event_id), which must be identical to the first. */
  private static List<EventMessage> distinct(List<EventMessage> events) {
    Map<String, EventMessage> byId = new LinkedHashMap<>();
    for (EventMessage event : events) {
      EventMessage first = byId.putIfAbsent(event.eventId(), event);
      if (first != null) {
        assertThat(event).as("a redelivery is a copy").isEqualTo(first);
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** First column → "second third" for every row. */
  private static Map<String, List<String>> rows(Connection db, String sql) throws Exception {
    Map<String, List<String>> rows = new HashMap<>();
    try (PreparedStatement query = db.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2) + " " + rs.getString(3));
      }
    }
    return rows;
  }

  private static int count(Connection db, String sql, Set<String> values) throws Exception {
    try (PreparedStatement query = db.prepareStatement(sql)) {
      query.setArray(1, db.createArrayOf("text", values.toArray()));
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
