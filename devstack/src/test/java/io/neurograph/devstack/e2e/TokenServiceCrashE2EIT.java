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

  static final int BEFORE_KILL = 30;
  static final int WHILE_DOWN = 30;

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

      for (int i = 0; i < BEFORE_KILL; i++) {
        ids.add(send(client, i));
        if (i == BEFORE_KILL - 5) {
          // The last few creates are in flight when the process dies.
          platform.tokenService().kill();
        }
      }
      assertThat(platform.tokenService().isAlive()).isFalse();
      for (int i = BEFORE_KILL; i < BEFORE_KILL + WHILE_DOWN; i++) {
        ids.add(send(client, i));
      }
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(platform::startTokenService);

      // Every request gets exactly one answer: created, or an error saying it did not complete in time.
      for (int n = 0; n < ids.size(); n++) {
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
      System.out.printf("crash test: %d creates, %d acknowledged at once, %d answered with an error%n",
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
        ResultSet rs = query.executeQuery(
            "SELECT metadata->>'request', count(*) FROM tokens WHERE type = 'crash' GROUP BY 1")) {
      Map<String, Integer> rows = new HashMap<>();
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getInt(2));
      }
      assertThat(rows.keySet()).as("every request became a token").containsExactlyInAnyOrderElementsOf(ids);
      assertThat(rows.values()).as("none twice").allMatch(count -> count == 1);
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
