package io.neurograph.devstack.guarantees;

import static io.neurograph.devstack.guarantees.Wire.createToken;
import static io.neurograph.devstack.guarantees.Wire.edge;
import static io.neurograph.devstack.guarantees.Wire.expect;
import static io.neurograph.devstack.guarantees.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.testkit.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fault: Redis goes away under the running jars. Stopped (its data lost) or unreachable (a partition: it
 * keeps its data), every command and query through the gateway still answers correctly, the gateway's
 * rate limit lets traffic through, and once Redis is back no read returns what a change made meanwhile
 * replaced.
 */
class RedisOutageIT {

  /** More requests in a row than a blocked rate limit would let through unnoticed. */
  static final int BURST = 60;

  static FaultPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = FaultPlatform.start("redis");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void redisStoppedEveryRequestStillAnswersCorrectly() {
    try (WsClient client = WsClient.connect(platform.ws("?client_id=redis-stop"))) {
      client.next("connection.established");
      String a = createToken(client, "s-a", "redis-stop");
      String b = createToken(client, "s-b", "redis-stop");
      expect(request(client, "token.get", "s-get-1", Map.of("token_id", a)), "token.data");
      expect(request(client, "graph.connect", "s-ab", edge(a, b, "knows")), "graph.connected");
      assertThat(neighbors(client, "s-n-1", a)).isEqualTo(1);

      platform.stopRedis();
      String c = createToken(client, "s-c", "redis-stop");
      assertThat(version(client, "s-get-2", a)).isEqualTo(1);
      JsonNode updated = expect(request(client, "token.update", "s-upd", Map.of("token_id", a, "weight", 2.0)),
          "token.updated");
      assertThat(updated.get("version").longValue()).isEqualTo(2);
      assertThat(version(client, "s-get-3", a)).isEqualTo(2);
      expect(request(client, "graph.connect", "s-ac", edge(a, c, "knows")), "graph.connected");
      assertThat(neighbors(client, "s-n-2", a)).isEqualTo(2);
      String d = createToken(client, "s-d", "redis-stop");
      expect(request(client, "token.delete", "s-del", Map.of("token_id", d)), "token.deleted");
      expect(request(client, "token.get", "s-get-d", Map.of("token_id", d)), "token.not_found");
      // The shared rate limit cannot count without Redis: it admits, the per-connection limit still applies.
      for (int i = 0; i < BURST; i++) {
        assertThat(version(client, "s-burst-" + i, a)).isEqualTo(2);
      }

      platform.startRedis();
      long restarted = System.nanoTime();
      assertThat(version(client, "s-get-4", a)).isEqualTo(2);
      assertThat(neighbors(client, "s-n-3", a)).isEqualTo(2);
      // Caching resumes once the services have reconnected.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(version(client, "s-get-5-" + System.nanoTime(), a)).isEqualTo(2);
        assertThat(RedisKeys.count(platform.redisPort(), platform.topicPrefix() + ":token:" + a + ":*")).isPositive();
      });
      System.out.printf("Redis restart: token reads were cached again %d ms after Redis was back%n",
          (System.nanoTime() - restarted) / 1_000_000);
    }
  }

  @Test
  void redisUnreachableWithItsDataNeverServesAReplacedValue() {
    try (WsClient client = WsClient.connect(platform.ws("?client_id=redis-cut"))) {
      client.next("connection.established");
      String e = createToken(client, "c-e", "redis-cut");
      String f = createToken(client, "c-f", "redis-cut");
      String g = createToken(client, "c-g", "redis-cut");
      expect(request(client, "graph.connect", "c-ef", edge(e, f, "knows")), "graph.connected");
      String tokenEntries = platform.topicPrefix() + ":token:" + e + ":*";
      String neighborEntries = platform.topicPrefix() + ":graph:neighbors:" + e + ":*";
      // On a loaded machine a Redis call may outlast its timeout and that read is not cached: read again.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(version(client, "c-get-" + System.nanoTime(), e)).isEqualTo(1);
        assertThat(neighbors(client, "c-n-" + System.nanoTime(), e)).isEqualTo(1);
        assertThat(RedisKeys.count(platform.redisPort(), tokenEntries)).isPositive();
        assertThat(RedisKeys.count(platform.redisPort(), neighborEntries)).isPositive();
      });

      platform.cutRedis();
      expect(request(client, "token.update", "c-upd", Map.of("token_id", e, "weight", 3.0)), "token.updated");
      expect(request(client, "graph.connect", "c-eg", edge(e, g, "knows")), "graph.connected");
      assertThat(version(client, "c-get-cut", e)).isEqualTo(2);
      assertThat(neighbors(client, "c-n-cut", e)).isEqualTo(2);
      platform.restoreRedis();

      // Redis still holds version 1 and one neighbour under the generations it had: neither comes back,
      // before or after the services have reconnected.
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> {
            assertThat(version(client, "c-after-" + System.nanoTime(), e)).as("never the version Redis kept")
                .isEqualTo(2);
            assertThat(neighbors(client, "c-n-after-" + System.nanoTime(), e)).as("never the neighbours Redis kept")
                .isEqualTo(2);
          });
      // ...and the cache is in use again: the new values were filed under new generations.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(version(client, "c-fill-" + System.nanoTime(), e)).isEqualTo(2);
        assertThat(neighbors(client, "c-n-fill-" + System.nanoTime(), e)).isEqualTo(2);
        assertThat(RedisKeys.count(platform.redisPort(), tokenEntries)).isGreaterThanOrEqualTo(2);
        assertThat(RedisKeys.count(platform.redisPort(), neighborEntries)).isGreaterThanOrEqualTo(2);
      });
    }
  }

  private static long version(WsClient client, String id, String tokenId) {
    return expect(request(client, "token.get", id, Map.of("token_id", tokenId)), "token.data").get("version").longValue();
  }

  private static int neighbors(WsClient client, String id, String tokenId) {
    return expect(request(client, "graph.neighbors", id, Map.of("token_id", tokenId, "direction", "outgoing")),
        "graph.neighbors").get("count").intValue();
  }
}
