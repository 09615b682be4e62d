package io.neurograph.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every graph scenario of the protocol, end to end: WebSocket clients → the gateway jar → Kafka → the
 * token-service and graph-service jars → PostgreSQL (+ Redis) → Kafka → the gateway → subscribed clients.
 */
class GraphPipelineE2EIT {

  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start("graph", true);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static WsClient connect(String clientId) {
    WsClient client = WsClient.connect(platform.ws("?client_id=" + clientId));
    assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  static void subscribe(WsClient client, String topic) {
    String id = "sub-" + UUID.randomUUID();
    client.send("subscribe", id, Map.of("topic", topic));
    assertThat(client.replyTo(id).get("type").stringValue()).isEqualTo("subscribed");
  }

  static String createToken(WsClient client, String requestId) {
    client.send("token.create", requestId, Map.of("type", "graph-e2e"));
    JsonNode reply = client.replyTo(requestId);
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("token.created");
    return reply.get("payload").get("token_id").stringValue();
  }

  static JsonNode request(WsClient client, String type, String id, Map<String, ?> payload) {
    client.send(type, id, payload);
    return client.replyTo(id);
  }

  static JsonNode connectTokens(WsClient client, String id, String source, String target, Map<String, ?> extra) {
    Map<String, Object> payload = new java.util.HashMap<>(extra);
    payload.put("source_id", source);
    payload.put("target_id", target);
    JsonNode reply = request(client, "graph.connect", id, payload);
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("graph.connected");
    return reply.get("payload");
  }

  /** The next graph event of a type about one edge (other events stay queued for later calls). */
  static JsonNode event(WsClient client, String type, String connectionId) {
    return client.next(m -> type.equals(m.get("type").stringValue())
        && connectionId.equals(m.get("payload").get("connection_id").stringValue()));
  }

  @Test
  void theWholeGraphLifecycleReachesRequesterSubscribersAndDatabase() throws Exception {
    try (WsClient actor = connect("graph-actor-" + UUID.randomUUID().toString().substring(0, 6));
        WsClient graphWatcher = connect("graph-watcher");
        WsClient tokenWatcher = connect("token-c-watcher")) {
      subscribe(graphWatcher, "graph");
      String a = createToken(actor, "t-a");
      String b = createToken(actor, "t-b");
      String c = createToken(actor, "t-c");
      String d = createToken(actor, "t-d");
      subscribe(tokenWatcher, "token:" + c);

      // connect: the reply is the full edge, and a second client on `graph` sees the same edge
      JsonNode ab = connectTokens(actor, "c-ab", a, b, Map.of("type", "knows", "weight", 0.5,
          "metadata", Map.of("since", 2024)));
      assertThat(ab.get("source_id").stringValue()).isEqualTo(a);
      assertThat(ab.get("target_id").stringValue()).isEqualTo(b);
      assertThat(ab.get("type").stringValue()).isEqualTo("knows");
      assertThat(ab.get("weight").doubleValue()).isEqualTo(0.5);
      assertThat(ab.get("bidirectional").booleanValue()).isFalse();
      assertThat(ab.get("decay_rate").doubleValue()).isZero();
      assertThat(ab.get("metadata").get("since").intValue()).isEqualTo(2024);
      assertThat(ab.get("created_at").stringValue()).endsWith("Z");
      String abId = ab.get("connection_id").stringValue();
      JsonNode seen = event(graphWatcher, "graph.connected", abId);
      assertThat(seen.get("topic").stringValue()).isEqualTo("graph");
      assertThat(seen.get("cursor").stringValue()).isNotBlank();
      assertThat(seen.get("payload")).isEqualTo(ab);

      JsonNode bc = connectTokens(actor, "c-bc", b, c, Map.of("type", "knows"));
      JsonNode cd = connectTokens(actor, "c-cd", c, d, Map.of("type", "near", "bidirectional", true));
      JsonNode ac = connectTokens(actor, "c-ac", a, c, Map.of("type", "likes", "weight", 0.9));
      String bcId = bc.get("connection_id").stringValue();
      String cdId = cd.get("connection_id").stringValue();
      String acId = ac.get("connection_id").stringValue();
      for (String id : List.of(bcId, cdId, acId)) {
        assertThat(event(tokenWatcher, "graph.connected", id).get("topic").stringValue())
            .as("the edge's end token topic").isEqualTo("token:" + c);
      }
      // the same edge again is a conflict; an edge to a token that does not exist is not found
      assertError(request(actor, "graph.connect", "c-ab-again", Map.of("source_id", a, "target_id", b,
          "type", "knows")), "CONFLICT", "c-ab-again");
      assertError(request(actor, "graph.connect", "c-ghost", Map.of("source_id", a,
          "target_id", UUID.randomUUID().toString())), "NOT_FOUND", "c-ghost");

      // neighbors in all three directions, and by type
      assertThat(neighborIds(request(actor, "graph.neighbors", "n-both", Map.of("token_id", c))))
          .containsExactlyInAnyOrder(bcId, cdId, acId);
      JsonNode incoming = request(actor, "graph.neighbors", "n-in", Map.of("token_id", c, "direction", "incoming"));
      assertThat(neighborIds(incoming)).containsExactlyInAnyOrder(bcId, acId);
      assertThat(incoming.get("payload").get("direction").stringValue()).isEqualTo("incoming");
      assertThat(incoming.get("payload").get("count").intValue()).isEqualTo(2);
      JsonNode neighbor = incoming.get("payload").get("neighbors").get(0);
      assertThat(neighbor.has("source_id") && neighbor.has("target_id") && neighbor.has("type")
          && neighbor.has("weight")).as(neighbor.toString()).isTrue();
      assertThat(neighborIds(request(actor, "graph.neighbors", "n-out", Map.of("token_id", c,
          "direction", "outgoing")))).containsExactly(cdId);
      assertThat(neighborIds(request(actor, "graph.neighbors", "n-type", Map.of("token_id", c,
          "type", "knows")))).containsExactly(bcId);

      // paths, shortest first; the bidirectional edge may be walked backwards, the others not
      JsonNode paths = request(actor, "graph.path", "p-1", Map.of("source_id", a, "target_id", d)).get("payload");
      assertThat(paths.get("count").intValue()).isEqualTo(2);
      assertThat(path(paths, 0)).containsExactly(a, c, d);
      assertThat(path(paths, 1)).containsExactly(a, b, c, d);
      assertThat(path(request(actor, "graph.path", "p-2", Map.of("source_id", d, "target_id", c)).get("payload"), 0))
          .containsExactly(d, c);
      JsonNode none = request(actor, "graph.path", "p-3", Map.of("source_id", d, "target_id", a)).get("payload");
      assertThat(none.get("paths")).isEmpty();
      JsonNode shallow = request(actor, "graph.path", "p-4", Map.of("source_id", a, "target_id", d,
          "max_depth", 2)).get("payload");
      assertThat(shallow.get("count").intValue()).isEqualTo(1);

      // degree and stats
      JsonNode degree = request(actor, "graph.degree", "g-c", Map.of("token_id", c)).get("payload");
      assertThat(degree.get("in_degree").longValue()).isEqualTo(2);
      assertThat(degree.get("out_degree").longValue()).isEqualTo(1);
      assertThat(degree.get("total_degree").longValue()).isEqualTo(3);
      JsonNode stats = request(actor, "graph.stats", "s-1", Map.of()).get("payload");
      long nodes = stats.get("total_nodes").longValue();
      long edges = stats.get("total_edges").longValue();
      assertThat(nodes).isGreaterThanOrEqualTo(4);
      assertThat(edges).isGreaterThanOrEqualTo(4);
      assertThat(stats.get("avg_degree").doubleValue()).isCloseTo(2.0 * edges / nodes, within());
      assertThat(stats.get("density").doubleValue()).isCloseTo((double) edges / (nodes * (nodes - 1)), within());

      // disconnect: reply and event; a second disconnect of the same edge is not found
      JsonNode disconnected = request(actor, "graph.disconnect", "x-ab", Map.of("connection_id", abId));
      assertThat(disconnected.get("type").stringValue()).isEqualTo("graph.disconnected");
      assertThat(disconnected.get("payload").get("source_id").stringValue()).isEqualTo(a);
      assertThat(disconnected.get("payload").get("target_id").stringValue()).isEqualTo(b);
      assertThat(event(graphWatcher, "graph.disconnected", abId).get("payload"))
          .isEqualTo(disconnected.get("payload"));
      assertError(request(actor, "graph.disconnect", "x-ab-again", Map.of("connection_id", abId)),
          "NOT_FOUND", "x-ab-again");

      // deleting a token removes its edges, one graph.disconnected event each
      assertThat(request(actor, "token.delete", "d-c", Map.of("token_id", c)).get("type").stringValue())
          .isEqualTo("token.deleted");
      for (String id : List.of(bcId, cdId, acId)) {
        JsonNode removed = event(graphWatcher, "graph.disconnected", id);
        assertThat(removed.get("payload").get("reason").stringValue()).isEqualTo("token_deleted");
      }
      assertThat(neighborIds(request(actor, "graph.neighbors", "n-after", Map.of("token_id", c)))).isEmpty();
      assertThat(neighborIds(request(actor, "graph.neighbors", "n-a-after", Map.of("token_id", a)))).isEmpty();
      assertThat(request(actor, "graph.degree", "g-c-after", Map.of("token_id", c)).get("payload")
          .get("total_degree").longValue()).isZero();
      assertError(request(actor, "graph.connect", "c-deleted", Map.of("source_id", a, "target_id", c)),
          "NOT_FOUND", "c-deleted");

      try (Connection db = platform.database();
          PreparedStatement query = db.prepareStatement(
              "SELECT count(*) FROM graph.edges WHERE source_id IN (?::uuid, ?::uuid) OR target_id IN (?::uuid, ?::uuid)")) {
        query.setString(1, a);
        query.setString(2, c);
        query.setString(3, a);
        query.setString(4, c);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("no edge of a or c left in graph-service's schema").isZero();
        }
      }
    }
  }

  @Test
  void connectRightAfterTokenCreatedNeverSaysNotFound() {
    int rounds = 40;
    try (WsClient client = connect("tight-" + UUID.randomUUID().toString().substring(0, 6))) {
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        // Both creates in flight at once, then the connect the moment both replies are in.
        client.send("token.create", "a-" + i, Map.of("type", "tight"));
        client.send("token.create", "b-" + i, Map.of("type", "tight"));
        String a = client.replyTo("a-" + i).get("payload").get("token_id").stringValue();
        String b = client.replyTo("b-" + i).get("payload").get("token_id").stringValue();
        JsonNode reply = request(client, "graph.connect", "c-" + i, Map.of("source_id", a, "target_id", b));
        if (!"graph.connected".equals(reply.get("type").stringValue())) {
          failures.add(reply.toString());
        }
      }
      assertThat(failures).as("connects right after token.created").isEmpty();
    }
  }

  @Test
  void badGraphInputGetsClearErrorsAndTheConnectionStays() {
    String token = UUID.randomUUID().toString();
    try (WsClient client = connect("graph-bad")) {
      JsonNode missing = request(client, "graph.connect", "b-1", Map.of("target_id", token));
      assertError(missing, "VALIDATION_FAILED", "b-1");
      assertThat(missing.get("payload").get("details").get(0).get("field").stringValue()).isEqualTo("source_id");
      assertError(request(client, "graph.connect", "b-2", Map.of("source_id", "not-a-uuid", "target_id", token)),
          "VALIDATION_FAILED", "b-2");
      JsonNode weight = request(client, "graph.connect", "b-3", Map.of("source_id", UUID.randomUUID().toString(),
          "target_id", token, "weight", 1.5));
      assertError(weight, "VALIDATION_FAILED", "b-3");
      assertThat(weight.get("payload").get("details").get(0).get("field").stringValue()).isEqualTo("weight");
      assertError(request(client, "graph.neighbors", "b-4", Map.of("token_id", token, "direction", "up")),
          "VALIDATION_FAILED", "b-4");
      for (int depth : new int[] {0, 11}) {
        assertError(request(client, "graph.path", "b-depth-" + depth, Map.of("source_id", token,
            "target_id", UUID.randomUUID().toString(), "max_depth", depth)), "VALIDATION_FAILED", "b-depth-" + depth);
      }
      assertError(request(client, "graph.disconnect", "b-5", Map.of("connection_id", UUID.randomUUID().toString())),
          "NOT_FOUND", "b-5");
      assertError(request(client, "graph.degree", "b-6", Map.of()), "VALIDATION_FAILED", "b-6");

      client.send("ping", "still-here", Map.of());
      assertThat(client.replyTo("still-here").get("type").stringValue()).isEqualTo("pong");
    }
  }

  private static Set<String> neighborIds(JsonNode reply) {
    assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("graph.neighbors");
    Set<String> ids = new HashSet<>(reply.get("payload").get("neighbors").findValuesAsString("connection_id"));
    assertThat(reply.get("payload").get("count").intValue()).isEqualTo(ids.size());
    return ids;
  }

  private static List<String> path(JsonNode result, int index) {
    List<String> tokens = new ArrayList<>();
    result.get("paths").get(index).forEach(id -> tokens.add(id.stringValue()));
    return tokens;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  static void assertError(JsonNode message, String code, String originalId) {
    assertThat(message.get("type").stringValue()).as(message.toString()).isEqualTo("error");
    assertThat(message.get("payload").get("code").stringValue()).as(message.toString()).isEqualTo(code);
    assertThat(message.get("payload").get("message").stringValue()).isNotBlank();
    assertThat(message.get("payload").get("original_message_id").stringValue()).isEqualTo(originalId);
  }
}
