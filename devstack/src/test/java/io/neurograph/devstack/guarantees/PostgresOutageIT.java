package io.neurograph.devstack.guarantees;

import static io.neurograph.devstack.guarantees.Wire.createToken;
import static io.neurograph.devstack.guarantees.Wire.edge;
import static io.neurograph.devstack.guarantees.Wire.expect;
import static io.neurograph.devstack.guarantees.Wire.expectOutageError;
import static io.neurograph.devstack.guarantees.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.devstack.guarantees.FaultPlatform.Db;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Fault: a service's PostgreSQL is stopped and started again (same port, same data) under the running
 * jars. While it is down a client gets {@code error TIMEOUT} or {@code UNAVAILABLE} with nothing internal
 * in it; every command the service consumed meanwhile is retried, not dead-lettered, and applied exactly
 * once after the restart; graph-service's projection applies the token events it could not store; a
 * poison record is still dead-lettered; a database stopped in the middle of a burst of creates (some in a
 * transaction at that moment) still ends with each create applied exactly once; nothing is restarted but the
 * database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresOutageIT {

  /** Recovery after a restart is bounded by the services' back-off cap (10 s) plus pool reconnects. */
  static final Duration RECOVERY = Duration.ofSeconds(90);

  /** Creates in the burst whose middle the database stops in. */
  static final int BURST = 40;

  static FaultPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = FaultPlatform.start("pg");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void graphDatabaseDownThenBack() throws Exception {
    try (WsClient client = WsClient.connect(platform.ws("?client_id=pg-graph"))) {
      client.next("connection.established");
      String a = createToken(client, "g-a", "pg-graph");
      String b = createToken(client, "g-b", "pg-graph");
      expect(request(client, "graph.connect", "g-ab", edge(a, b, "before")), "graph.connected");

      platform.stopPostgres(Db.GRAPH);
      // token-service is fine: this token's event reaches a projection that cannot store it.
      String c = createToken(client, "g-c", "pg-graph");
      client.send("graph.connect", "g-ac", edge(a, c, "during"));
      client.send("graph.neighbors", "g-n-during", Map.of("token_id", b, "direction", "incoming"));
      expectOutageError(client.replyTo("g-ac"));
      expectOutageError(client.replyTo("g-n-during"));

      long restarted = System.nanoTime();
      platform.startPostgres(Db.GRAPH);
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
          .until(() -> edges(a, c, "during") == 1);
      long applied = System.nanoTime();
      // The accepted connect happened once: its retry with the same id gets the stored outcome.
      String connectionId = expect(request(client, "graph.connect", "g-ac", edge(a, c, "during")), "graph.connected")
          .get("connection_id").stringValue();
      // The projection stored c (its event arrived during the outage): an edge from it needs it.
      expect(request(client, "graph.connect", "g-cb", edge(c, b, "after")), "graph.connected");
      JsonNode neighbors = expect(request(client, "graph.neighbors", "g-n-after",
          Map.of("token_id", a, "direction", "outgoing")), "graph.neighbors");
      assertThat(neighbors.get("neighbors").valueStream().map(n -> n.get("connection_id").stringValue()))
          .contains(connectionId);
      assertThat(edges(a, c, "during")).isEqualTo(1);
      System.out.printf("graph database restart: the connect accepted during the outage was applied %d ms after"
          + " PostgreSQL was back%n", (applied - restarted) / 1_000_000);
    }
    assertThat(Wire.deadLetterKeys(TestKafka.bootstrapServers(), platform.topicPrefix() + ".tokens.events-dlt"))
        .as("no token event was dead-lettered by the projection").isEmpty();
    assertThat(Wire.deadLetterKeys(TestKafka.bootstrapServers(), platform.topicPrefix() + ".graph.commands-dlt"))
        .as("no graph command was dead-lettered").isEmpty();
  }

  @Test
  @Order(2)
  void tokenDatabaseDownThenBack() throws Exception {
    try (WsClient client = WsClient.connect(platform.ws("?client_id=pg-tokens"));
        WsClient watcher = WsClient.connect(platform.ws("?client_id=pg-watcher"))) {
      client.next("connection.established");
      watcher.next("connection.established");
      Wire.subscribe(watcher, "tokens");
      String a = createToken(client, "t-a", "pg-tokens");

      platform.stopPostgres(Db.TOKENS);
      client.send("token.create", "t-during", Map.of("type", "pg-tokens", "metadata", Map.of("request", "t-during")));
      client.send("token.update", "t-update", Map.of("token_id", a, "weight", 9.0));
      sendPoison(platform.topicPrefix() + ".tokens.commands");
      expectOutageError(client.replyTo("t-during"));
      expectOutageError(client.replyTo("t-update"));

      long restarted = System.nanoTime();
      platform.startPostgres(Db.TOKENS);
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
          .until(() -> tokensCreatedBy("t-during") == 1 && version(a) == 2);
      long applied = System.nanoTime();
      String during = expect(request(client, "token.create", "t-during",
          Map.of("type", "pg-tokens", "metadata", Map.of("request", "t-during"))), "token.created")
          .get("token_id").stringValue();
      // The outbox relay resumed: the events of the commands applied after the restart reach subscribers.
      watcher.next(m -> "token.created".equals(m.get("type").stringValue())
          && during.equals(m.get("payload").get("token_id").stringValue()));
      watcher.next(m -> "token.updated".equals(m.get("type").stringValue())
          && a.equals(m.get("payload").get("token_id").stringValue()));
      JsonNode token = expect(request(client, "token.get", "t-get", Map.of("token_id", a)), "token.data");
      assertThat(token.get("version").longValue()).isEqualTo(2);
      assertThat(token.get("weight").doubleValue()).isEqualTo(9.0);
      createToken(client, "t-after", "pg-tokens");
      // graph-service's projection got the token created after the outage.
      expect(request(client, "graph.connect", "t-edge", edge(during, a, "after-outage")), "graph.connected");
      assertThat(tokensCreatedBy("t-during")).isEqualTo(1);
      System.out.printf("token database restart: the commands accepted during the outage were applied %d ms after"
          + " PostgreSQL was back%n", (applied - restarted) / 1_000_000);
    }
    assertThat(Wire.deadLetterKeys(TestKafka.bootstrapServers(), platform.topicPrefix() + ".tokens.commands-dlt"))
        .as("only the poison record was dead-lettered").containsExactly("poison");
  }

  @Test
  @Order(3)
  void tokenDatabaseStoppedInTheMiddleOfABurst() throws Exception {
    List<String> ids = new ArrayList<>();
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    try (WsClient client = WsClient.connect(platform.ws("?client_id=pg-burst"))) {
      client.next("connection.established");
      for (int i = 0; i < BURST; i++) {
        String id = "b-" + i;
        ids.add(id);
        client.send("token.create", id, Map.of("type", "pg-burst", "metadata", Map.of("request", id)));
        if (i == BURST / 4) {
          // Some creates are answered, some are in a transaction, some still queued when the database goes.
          String first = ids.get(0);
          answers.put(first, client.replyTo(first));
          platform.stopPostgres(Db.TOKENS);
        }
      }
      for (String id : ids) {
        if (!answers.containsKey(id)) {
          answers.put(id, client.replyTo(id));
        }
      }
      long restarted = System.nanoTime();
      platform.startPostgres(Db.TOKENS);
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
          .until(() -> ids.stream().allMatch(id -> uncheckedCount(id) == 1));
      long applied = System.nanoTime();
      int failed = 0;
      for (String id : ids) {
        JsonNode answer = answers.get(id);
        if (!"token.created".equals(answer.get("type").stringValue())) {
          expectOutageError(answer);
          failed++;
        }
        // A retry with the same id gets the one token that exists.
        String tokenId = expect(request(client, "token.create", id,
            Map.of("type", "pg-burst", "metadata", Map.of("request", id))), "token.created").get("token_id").stringValue();
        assertThat(tokenIdOf(id)).isEqualTo(tokenId);
      }
      assertThat(failed).as("creates sent while the database was down cannot have completed in time").isPositive();
      for (String id : ids) {
        assertThat(tokensCreatedBy(id)).as(id).isEqualTo(1);
      }
      System.out.printf("token database stopped mid-burst: %d of %d creates answered with an error, all %d applied"
          + " once %d ms after PostgreSQL was back%n", failed, BURST, BURST, (applied - restarted) / 1_000_000);
    }
    assertThat(Wire.deadLetterKeys(TestKafka.bootstrapServers(), platform.topicPrefix() + ".tokens.commands-dlt"))
        .as("still only the poison record was dead-lettered").containsExactly("poison");
  }

  private static int uncheckedCount(String request) {
    try {
      return tokensCreatedBy(request);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tokenIdOf(String request) throws Exception {
    try (Connection db = platform.database(Db.TOKENS);
        PreparedStatement query = db.prepareStatement("SELECT token_id::text FROM tokens WHERE metadata->>'request' = ?")) {
      query.setString(1, request);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void sendPoison(String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(topic, "poison", "not a command".getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static int edges(String source, String target, String type) throws Exception {
    try (Connection db = platform.database(Db.GRAPH);
        PreparedStatement query = db.prepareStatement(
            "SELECT count(*) FROM graph.edges WHERE source_id = ?::uuid AND target_id = ?::uuid AND type = ?")) {
      query.setString(1, source);
      query.setString(2, target);
      query.setString(3, type);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static int tokensCreatedBy(String request) throws Exception {
    try (Connection db = platform.database(Db.TOKENS);
        PreparedStatement query = db.prepareStatement("SELECT count(*) FROM tokens WHERE metadata->>'request' = ?")) {
      query.setString(1, request);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static long version(String tokenId) throws Exception {
    try (Connection db = platform.database(Db.TOKENS);
        PreparedStatement query = db.prepareStatement("SELECT version FROM tokens WHERE token_id = ?::uuid")) {
      query.setString(1, tokenId);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }
}
