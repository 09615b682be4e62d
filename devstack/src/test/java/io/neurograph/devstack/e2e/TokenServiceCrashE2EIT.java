package io.neurograph.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.WsClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Acceptance: token-service is killed with SIGKILL while a client is creating tokens, then restarted.
 * Every create that was acknowledged exists exactly once; every create sent while it was down got an
 * answer (created after the restart, or an error); re-sending the failed ones with the same ids
 * completes them without doubling anything.
 */
class TokenServiceCrashE2EIT {

  static final int ACKNOWLEDGED_FIRST = 20;
  static final int IN_FLIGHT_AT_KILL = 10;
  static final int WHILE_DOWN = 20;

  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start("crash");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void killMinusNineLosesNothingAndDoublesNothing() throws Exception {
    String clientId = "crash-" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, JsonNode> outcomes = new LinkedHashMap<>();
    Map<String, String> createdTokenIds = new HashMap<>();
    List<String> ids = new ArrayList<>();
    try (WsClient client = WsClient.connect(platform.ws("?client_id=" + clientId))) {
      client.next("connection.established");

      // Creates that complete normally...
      for (int i = 0; i < ACKNOWLEDGED_FIRST; i++) {
        String id = send(client, i);
        ids.add(id);
        JsonNode reply = client.replyTo(id);
        assertThat(reply.get("type").stringValue()).as(reply.toString()).isEqualTo("token.created");
        outcomes.put(id, reply);
      }
      // ...creates still in flight when the process dies...
      int n = ACKNOWLEDGED_FIRST;
      for (; n < ACKNOWLEDGED_FIRST + IN_FLIGHT_AT_KILL; n++) {
        ids.add(send(client, n));
      }
      platform.tokenService().kill();
      assertThat(platform.tokenService().isAlive()).isFalse();
      // ...and creates sent while it is down.
      for (; n < ACKNOWLEDGED_FIRST + IN_FLIGHT_AT_KILL + WHILE_DOWN; n++) {
        ids.add(send(client, n));
      }
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(platform::startTokenService);

      // Every request gets exactly one answer: created, or an error saying it did not complete in time.
      for (int answered = ACKNOWLEDGED_FIRST; answered < ids.size(); answered++) {
        JsonNode reply = client.next(m -> m.has("correlation_id") && ids.contains(m.get("correlation_id").stringValue()));
        String id = reply.get("correlation_id").stringValue();
        assertThat(outcomes.put(id, reply)).as("one answer per request: " + id).isNull();
      }
      restarted.get(Platform.READY.toSeconds(), TimeUnit.SECONDS);

      List<String> failed = new ArrayList<>();
      outcomes.forEach((id, reply) -> {
        String type = reply.get("type").stringValue();
        if ("token.created".equals(type)) {
          createdTokenIds.put(id, reply.get("payload").get("token_id").stringValue());
        } else {
          assertThat(type).isEqualTo("error");
          assertThat(reply.get("payload").get("code").stringValue()).isIn("TIMEOUT", "UNAVAILABLE");
          failed.add(id);
        }
      });
      assertThat(failed).as("creates sent while token-service was down cannot have completed in time").isNotEmpty();
      System.out.printf("crash test: %d creates, %d acknowledged before the retry round, %d answered with an error%n",
          ids.size(), ids.size() - failed.size(), failed.size());

      // Re-sending a failed create with the same id completes it (or returns what already happened). The
      // restarted instance may still be waiting for the dead one's partitions (session timeout), so a retry
      // can time out again: retry as a client would, with the same id.
      for (String id : failed) {
        JsonNode retry = createUntilAnswered(client, id);
        assertThat(retry.get("type").stringValue()).as(retry.toString()).isEqualTo("token.created");
        createdTokenIds.put(id, retry.get("payload").get("token_id").stringValue());
      }
      // ...and re-sending an acknowledged one changes nothing.
      String firstId = ids.get(0);
      client.send("token.create", firstId, Map.of("type", "crash", "metadata", Map.of("request", firstId)));
      assertThat(client.replyTo(firstId).get("payload").get("token_id").stringValue())
          .isEqualTo(createdTokenIds.get(firstId));
    }

    try (Connection db = platform.database(); Statement query = db.createStatement();
        ResultSet rs = query.executeQuery("SELECT metadata->>'request', token_id::text FROM tokens WHERE type = 'crash'")) {
      Map<String, List<String>> rows = new HashMap<>();
      while (rs.next()) {
        rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
      assertThat(rows.keySet()).as("every request became a token").containsExactlyInAnyOrderElementsOf(ids);
      rows.forEach((request, tokens) ->
          assertThat(tokens).as("exactly the acknowledged token, once: " + request)
              .containsExactly(createdTokenIds.get(request)));
    }
  }

  private static JsonNode createUntilAnswered(WsClient client, String id) {
    JsonNode reply = null;
    for (int attempt = 0; attempt < 8; attempt++) {
      client.send("token.create", id, Map.of("type", "crash", "metadata", Map.of("request", id)));
      reply = client.replyTo(id);
      boolean timedOut = "error".equals(reply.get("type").stringValue())
          && "TIMEOUT".equals(reply.get("payload").get("code").stringValue());
      if (!timedOut) {
        return reply;
      }
    }
    return reply;
  }

  private static String send(WsClient client, int i) {
    String id = "create-" + i;
    client.send("token.create", id, Map.of("type", "crash", "metadata", Map.of("request", id)));
    return id;
  }
}
