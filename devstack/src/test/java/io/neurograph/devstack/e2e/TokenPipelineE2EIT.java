package io.neurograph.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every token scenario of the protocol, end to end: a real WebSocket client → the gateway jar → Kafka →
 * the token-service jar → PostgreSQL (+ Redis) → Kafka → the gateway → subscribed clients.
 */
class TokenPipelineE2EIT {

  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start("pipeline");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  WsClient connect(String clientId) {
    WsClient client = WsClient.connect(platform.ws("?client_id=" + clientId));
    assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  static JsonNode subscribe(WsClient client, String topic) {
    String id = "sub-" + UUID.randomUUID();
    client.send("subscribe", id, Map.of("topic", topic));
    JsonNode reply = client.replyTo(id);
    assertThat(reply.get("type").stringValue()).isEqualTo("subscribed");
    return reply;
  }

  static List<Double> axis(double first) {
    return List.of(first, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5);
  }

  @Test
  void theWholeTokenLifecycleReachesRequesterSubscribersDatabaseAndCache() throws Exception {
    try (WsClient actor = connect("actor-" + UUID.randomUUID().toString().substring(0, 6));
        WsClient watcher = connect("watcher");
        WsClient single = connect("single")) {
      subscribe(watcher, "tokens");

      // create
      actor.send("token.create", "c-1", Map.of("type", "e2e", "coord_x", axis(2.5), "coord_y", axis(-1.0),
          "coord_z", axis(0.25), "flags", 5, "weight", 1.5, "metadata", Map.of("source", "e2e")));
      JsonNode created = actor.replyTo("c-1");
      assertThat(created.get("type").stringValue()).as(created.toString()).isEqualTo("token.created");
      JsonNode token = created.get("payload");
      String tokenId = token.get("token_id").stringValue();
      assertThat(token.get("type").stringValue()).isEqualTo("e2e");
      assertThat(token.get("weight").doubleValue()).isEqualTo(1.5);
      assertThat(token.get("flags").longValue()).isEqualTo(5);
      assertThat(token.get("coord_x").get(0).doubleValue()).isEqualTo(2.5);
      assertThat(token.get("metadata").get("source").stringValue()).isEqualTo("e2e");
      assertThat(token.get("version").longValue()).isEqualTo(1);
      assertThat(token.get("created_at").stringValue()).endsWith("Z");

      JsonNode createdEvent = watcher.next("token.created");
      assertThat(createdEvent.get("topic").stringValue()).isEqualTo("tokens");
      assertThat(createdEvent.get("cursor").stringValue()).isNotBlank();
      assertThat(createdEvent.get("payload")).isEqualTo(token);
      subscribe(single, "token:" + tokenId);

      // read: get (twice: the second one is served from the cache), list, count, search
      for (String id : List.of("g-1", "g-2")) {
        actor.send("token.get", id, Map.of("token_id", tokenId));
        JsonNode data = actor.replyTo(id);
        assertThat(data.get("type").stringValue()).isEqualTo("token.data");
        assertThat(data.get("payload").get("coordinates").get("x").get(0).doubleValue()).isEqualTo(2.5);
        assertThat(data.get("payload").get("coordinates").get("y").get(0).doubleValue()).isEqualTo(-1.0);
        assertThat(data.get("payload").get("version").longValue()).isEqualTo(1);
      }
      actor.send("token.list", "l-1", Map.of("limit", 100, "type", "e2e"));
      JsonNode list = actor.replyTo("l-1").get("payload");
      assertThat(list.get("tokens").findValuesAsString("token_id")).contains(tokenId);
      assertThat(list.get("count").intValue()).isEqualTo(list.get("tokens").size());
      assertThat(list.get("offset").intValue()).isZero();
      assertThat(list.get("total").longValue()).isGreaterThanOrEqualTo(1);
      actor.send("token.count", "n-1", Map.of("type", "e2e"));
      JsonNode count = actor.replyTo("n-1").get("payload");
      assertThat(count.get("count").longValue()).isEqualTo(list.get("total").longValue());
      assertThat(count.get("type").stringValue()).isEqualTo("e2e");
      actor.send("token.search", "q-1", Map.of("level", 0, "min", Map.of("x", 2.0, "y", -2.0, "z", 0.0),
          "max", Map.of("x", 3.0, "y", 0.0, "z", 1.0)));
      JsonNode search = actor.replyTo("q-1").get("payload");
      assertThat(search.get("tokens").findValuesAsString("token_id")).contains(tokenId);
      actor.send("token.search", "q-2", Map.of("level", 7, "min", Map.of("x", 0.6, "y", 0.6, "z", 0.6),
          "max", Map.of("x", 1.0, "y", 1.0, "z", 1.0)));
      assertThat(actor.replyTo("q-2").get("payload").get("tokens").findValuesAsString("token_id")).doesNotContain(tokenId);

      // update: requester, the tokens topic and the token's own topic all see version 2
      actor.send("token.update", "u-1", Map.of("token_id", tokenId, "weight", 3.0, "expected_version", 1));
      JsonNode updated = actor.replyTo("u-1");
      assertThat(updated.get("type").stringValue()).as(updated.toString()).isEqualTo("token.updated");
      assertThat(updated.get("payload").get("weight").doubleValue()).isEqualTo(3.0);
      assertThat(updated.get("payload").get("version").longValue()).isEqualTo(2);
      assertThat(updated.get("payload").get("type").stringValue()).isEqualTo("e2e");
      assertThat(watcher.next("token.updated").get("payload")).isEqualTo(updated.get("payload"));
      JsonNode own = single.next("token.updated");
      assertThat(own.get("topic").stringValue()).isEqualTo("token:" + tokenId);

      // the cache was invalidated: get sees version 2
      actor.send("token.get", "g-3", Map.of("token_id", tokenId));
      assertThat(actor.replyTo("g-3").get("payload").get("version").longValue()).isEqualTo(2);

      // stale update → CONFLICT
      actor.send("token.update", "u-2", Map.of("token_id", tokenId, "weight", 4.0, "expected_version", 1));
      assertError(actor.replyTo("u-2"), "CONFLICT", "u-2");

      // delete
      actor.send("token.delete", "d-1", Map.of("token_id", tokenId));
      JsonNode deleted = actor.replyTo("d-1");
      assertThat(deleted.get("type").stringValue()).isEqualTo("token.deleted");
      assertThat(deleted.get("payload").get("token_id").stringValue()).isEqualTo(tokenId);
      assertThat(watcher.next("token.deleted").get("payload").get("token_id").stringValue()).isEqualTo(tokenId);
      assertThat(single.next("token.deleted").get("topic").stringValue()).isEqualTo("token:" + tokenId);

      actor.send("token.get", "g-4", Map.of("token_id", tokenId));
      JsonNode gone = actor.replyTo("g-4");
      assertThat(gone.get("type").stringValue()).isEqualTo("token.not_found");
      assertThat(gone.get("payload").get("token_id").stringValue()).isEqualTo(tokenId);
      actor.send("token.update", "u-3", Map.of("token_id", tokenId, "weight", 1.0));
      assertError(actor.replyTo("u-3"), "NOT_FOUND", "u-3");
      actor.send("token.delete", "d-2", Map.of("token_id", tokenId));
      assertError(actor.replyTo("d-2"), "NOT_FOUND", "d-2");

      try (Connection db = platform.database();
          PreparedStatement query = db.prepareStatement("SELECT count(*) FROM tokens WHERE token_id = ?::uuid")) {
        query.setString(1, tokenId);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isZero();
        }
      }
    }
  }

  @Test
  void aResentCommandReturnsTheOriginalOutcomeEvenAfterAReconnect() throws Exception {
    String clientId = "retrier-" + UUID.randomUUID().toString().substring(0, 6);
    JsonNode first;
    try (WsClient watcher = connect("watcher-2")) {
      subscribe(watcher, "tokens");
      try (WsClient client = connect(clientId)) {
        client.send("token.create", "same-id", Map.of("type", "idem"));
        first = client.replyTo("same-id");
        assertThat(first.get("type").stringValue()).isEqualTo("token.created");
      }
      String tokenId = first.get("payload").get("token_id").stringValue();
      assertThat(watcher.next(m -> "token.created".equals(m.get("type").stringValue())
          && tokenId.equals(m.get("payload").get("token_id").stringValue()))).isNotNull();

      try (WsClient again = connect(clientId)) {
        again.send("token.create", "same-id", Map.of("type", "idem"));
        JsonNode second = again.replyTo("same-id");
        assertThat(second.get("payload")).isEqualTo(first.get("payload"));
        // Another client id with the same request id is another command.
        try (WsClient other = connect(clientId + "-other")) {
          other.send("token.create", "same-id", Map.of("type", "idem"));
          assertThat(other.replyTo("same-id").get("payload").get("token_id").stringValue()).isNotEqualTo(tokenId);
        }
      }
      // A marker event after the retry: had the retry produced a second event, it would come before it.
      try (WsClient marker = connect("marker")) {
        marker.send("token.create", "marker-1", Map.of("type", "marker"));
        String markerId = marker.replyTo("marker-1").get("payload").get("token_id").stringValue();
        Map<String, Integer> createdEvents = new HashMap<>();
        while (true) {
          JsonNode event = watcher.next("token.created");
          String id = event.get("payload").get("token_id").stringValue();
          if (id.equals(markerId)) {
            break;
          }
          createdEvents.merge(id, 1, Integer::sum);
        }
        assertThat(createdEvents.getOrDefault(tokenId, 0)).as("no second token.created for the retry").isZero();
      }
      try (Connection db = platform.database();
          PreparedStatement query = db.prepareStatement("SELECT count(*) FROM tokens WHERE token_id = ?::uuid")) {
        query.setString(1, tokenId);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void everyKindOfBadInputGetsItsErrorAndNobodyElseNotices() throws Exception {
    try (WsClient bad = connect("bad"); WsClient good = connect("good")) {
      subscribe(good, "tokens");
      String uuid = UUID.randomUUID().toString();
      bad.sendText("not json at all");
      assertError(bad.next(), "INVALID_JSON", null);
      bad.sendText("{\"id\":\"b1\",\"payload\":{}}");
      assertError(bad.next(), "INVALID_ENVELOPE", "b1");
      bad.sendText("{\"id\":\"b2\",\"type\":\"token.create\"}");
      assertError(bad.next(), "INVALID_ENVELOPE", "b2");
      bad.sendText("{\"id\":\"b3\",\"type\":42,\"payload\":{}}");
      assertError(bad.next(), "INVALID_ENVELOPE", "b3");
      bad.send("token.teleport", "b4", Map.of());
      assertError(bad.next(), "UNKNOWN_TYPE", "b4");
      Object[][] invalid = {
        {"b5", Map.of("coord_x", List.of(1, 2, 3))},
        {"b6", Map.of("coord_y", List.of(0, 0, 0, 0, 0, 0, 0, 0, 0))},
        {"b7", Map.of("weight", -0.1)},
        {"b8", Map.of("type", "")},
        {"b9", Map.of("type", "t".repeat(51))},
        {"b10", Map.of("flags", -1)},
        {"b11", Map.of("metadata", List.of(1, 2))},
        {"b12", Map.of("metadata", Map.of("blob", "m".repeat(16 * 1024)))},
        {"b13", Map.of("token_id", "not-a-uuid")},
      };
      for (Object[] c : invalid) {
        bad.send("token.create", (String) c[0], c[1]);
        assertError(bad.next(), "VALIDATION_FAILED", (String) c[0]);
      }
      bad.sendText("{\"id\":\"b14\",\"type\":\"token.create\",\"payload\":{\"weight\":1e999}}");
      assertError(bad.next(), "VALIDATION_FAILED", "b14");
      bad.sendText("{\"id\":\"b15\",\"type\":\"token.create\",\"payload\":{\"coord_z\":[0,0,0,0,0,0,0,-1e400]}}");
      assertError(bad.next(), "VALIDATION_FAILED", "b15");
      bad.send("token.get", "b16", Map.of("token_id", "123"));
      assertError(bad.next(), "VALIDATION_FAILED", "b16");
      bad.send("token.list", "b17", Map.of("limit", 101));
      assertError(bad.next(), "VALIDATION_FAILED", "b17");
      bad.send("token.list", "b18", Map.of("limit", 0));
      assertError(bad.next(), "VALIDATION_FAILED", "b18");
      bad.send("token.list", "b19", Map.of("offset", -1));
      assertError(bad.next(), "VALIDATION_FAILED", "b19");
      bad.send("subscribe", "b20", Map.of());
      assertError(bad.next(), "VALIDATION_FAILED", "b20");
      bad.send("subscribe", "b21", Map.of("topic", "everything"));
      assertError(bad.next(), "UNKNOWN_TOPIC", "b21");
      bad.send("token.update", "b22", Map.of("token_id", uuid));
      assertError(bad.next(), "VALIDATION_FAILED", "b22");
      bad.sendBinary(new byte[] {0, 1, 2});
      assertError(bad.next(), "UNSUPPORTED_FRAME", null);

      bad.send("ping", "alive", Map.of());
      assertThat(bad.replyTo("alive").get("type").stringValue()).isEqualTo("pong");

      bad.sendText("{\"type\":\"ping\",\"payload\":{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}}");
      assertThat(bad.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1009);

      // The good client saw none of it and still works end to end.
      good.send("token.create", "fine", Map.of("type", "fine"));
      assertThat(good.replyTo("fine").get("type").stringValue()).isEqualTo("token.created");
      assertThat(good.next("token.created").get("payload").get("type").stringValue()).isEqualTo("fine");
      assertThat(good.drain()).noneMatch(m -> "error".equals(m.get("type").stringValue()));
    }
  }

  static void assertError(JsonNode message, String code, String originalId) {
    assertThat(message.get("type").stringValue()).as(message.toString()).isEqualTo("error");
    assertThat(message.get("payload").get("code").stringValue()).as(message.toString()).isEqualTo(code);
    if (originalId != null) {
      assertThat(message.get("payload").get("original_message_id").stringValue()).isEqualTo(originalId);
      assertThat(message.get("correlation_id").stringValue()).isEqualTo(originalId);
    }
  }
}
