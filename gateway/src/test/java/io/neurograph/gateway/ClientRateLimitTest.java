package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.gateway.limits.ClientRateLimiter;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestRedis;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The per-client limit shared through Redis: across connections and across two gateway instances, and
 * under a flood. Window 60 s so no test can straddle two windows on a slow machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientRateLimitTest {

  private static final Logger log = LoggerFactory.getLogger(ClientRateLimitTest.class);
  private static final String TOPIC_PREFIX = "crl-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String KEY_PREFIX = "test:" + TOPIC_PREFIX + ":";
  private static final int LIMIT = 20;

  private static ConfigurableApplicationContext secondInstance;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    shared().forEach((key, value) -> registry.add(key, () -> value));
  }

  /** What both instances are configured with. */
  static Map<String, String> shared() {
    return Map.ofEntries(
        Map.entry("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers()),
        Map.entry("neurograph.kafka.topic-prefix", TOPIC_PREFIX),
        Map.entry("neurograph.kafka.partitions", "1"),
        Map.entry("spring.data.redis.host", TestRedis.shared().host()),
        Map.entry("spring.data.redis.port", String.valueOf(TestRedis.shared().port())),
        Map.entry("neurograph.gateway.client-rate-limit.limit", String.valueOf(LIMIT)),
        Map.entry("neurograph.gateway.client-rate-limit.window", "60s"),
        Map.entry("neurograph.gateway.client-rate-limit.key-prefix", KEY_PREFIX),
        // Generous on a noisy 2-core machine: a check that times out is admitted (fail open), which would
        // make the counts below inexact. The failure policy itself is ClientRateLimitRedisDownTest's.
        Map.entry("neurograph.gateway.client-rate-limit.timeout", "2s"),
        Map.entry("neurograph.gateway.client-rate-limit.connect-timeout", "5s"),
        // The flood test is about rate limiting, not the slow-consumer rule (SlowConsumerTest): the JDK client
        // reads slower than it writes, so the flooder's buffer must hold every reply to make "stays open"
        // deterministic.
        Map.entry("neurograph.gateway.outbound.max-messages", "20000"),
        Map.entry("neurograph.gateway.outbound.max-bytes", "32MB"));
  }

  @LocalServerPort int port;
  @Autowired ClientRateLimiter limiter;

  @AfterAll
  static void stopSecondInstance() {
    if (secondInstance != null) {
      secondInstance.close();
    }
  }

  static WsClient connect(int port, String clientId) {
    WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws?client_id=" + clientId));
    assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
    return client;
  }

  static String type(JsonNode message) {
    return message.get("type").stringValue();
  }

  static String code(JsonNode message) {
    return message.get("payload").get("code").stringValue();
  }

  /** Sends one {@code unsubscribe} (answered by the gateway itself, so it only measures admission). */
  static JsonNode unsubscribe(WsClient client, String id) {
    client.send("unsubscribe", id, Map.of("topic", "tokens"));
    return client.replyTo(id);
  }

  @Test
  void connectionsOfOneClientShareTheBudgetAcrossTwoInstances() {
    // Command-line arguments: they override application.yml (builder default properties would not).
    List<String> args = new ArrayList<>(List.of("--server.port=0"));
    shared().forEach((key, value) -> args.add("--" + key + "=" + value));
    secondInstance = new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
    ClientRateLimiter secondLimiter = secondInstance.getBean(ClientRateLimiter.class);
    int secondPort = Integer.parseInt(secondInstance.getEnvironment().getProperty("local.server.port"));
    await().atMost(WsClient.WAIT).until(() -> limiter.connected() && secondLimiter.connected());
    long failuresBefore = limiter.redisFailures() + secondLimiter.redisFailures();

    String clientId = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    try (WsClient one = connect(port, clientId);
        WsClient two = connect(secondPort, clientId);
        WsClient other = connect(port, "other-" + clientId)) {
      for (int i = 0; i < LIMIT / 2; i++) {
        assertThat(type(unsubscribe(one, "a" + i))).isEqualTo("unsubscribed");
        assertThat(type(unsubscribe(two, "b" + i))).isEqualTo("unsubscribed");
      }
      for (WsClient client : List.of(one, two)) {
        JsonNode limited = unsubscribe(client, "over");
        assertThat(code(limited)).isEqualTo("RATE_LIMITED");
        assertThat(limited.get("payload").get("original_message_id").stringValue()).isEqualTo("over");
        assertThat(limited.get("payload").get("retry_after_ms").longValue()).isBetween(1L, 60_000L);
      }
      assertThat(type(unsubscribe(other, "o1"))).as("another client_id has its own budget").isEqualTo("unsubscribed");
      one.send("ping", "p1", Map.of());
      assertThat(type(one.replyTo("p1"))).as("ping is exempt from the shared limit").isEqualTo("pong");
      assertThat(one.isClosed()).isFalse();
      assertThat(two.isClosed()).isFalse();
    }
    assertThat(limiter.redisFailures() + secondLimiter.redisFailures()).as("every check reached Redis")
        .isEqualTo(failuresBefore);
  }

  @Test
  void aFloodIsRateLimitedWhileAnotherClientIsServed() throws Exception {
    await().atMost(WsClient.WAIT).until(limiter::connected);
    long failuresBefore = limiter.redisFailures();
    int frames = 10_000;
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    ExecutorService flooding = Executors.newSingleThreadExecutor();
    try (WsClient flooder = connect(port, "flood-" + suffix); WsClient side = connect(port, "side-" + suffix)) {
      List<Long> before = pingRoundTrips(side, "before", 50, new AtomicBoolean(true));

      AtomicBoolean flooding1 = new AtomicBoolean(true);
      AtomicInteger sentSoFar = new AtomicInteger();
      long floodStart = System.nanoTime();
      Future<?> sent = flooding.submit(() -> {
        try {
          for (int i = 0; i < frames; i++) {
            flooder.send("unsubscribe", "f" + i, Map.of("topic", "tokens"));
            sentSoFar.incrementAndGet();
          }
        } finally {
          flooding1.set(false);
        }
      });
      // Measured once the flood is under way, while it runs (at most 100 pings: the side client's own burst
      // of 200 is never used up, so every ping must be answered with a pong).
      await().atMost(WsClient.WAIT).until(() -> sentSoFar.get() >= 1_000 || !flooding1.get());
      List<Long> during = pingRoundTrips(side, "during", 100, flooding1);
      sent.get(WsClient.WAIT.toSeconds() * 4, TimeUnit.SECONDS);
      long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;

      // Every frame is answered: read all replies (the client reads as they come, so its buffer never fills).
      int answered = 0;
      int perConnection = 0;
      int perClient = 0;
      for (int i = 0; i < frames; i++) {
        JsonNode reply = flooder.replyTo("f" + i);
        if ("unsubscribed".equals(type(reply))) {
          answered++;
        } else {
          assertThat(code(reply)).isEqualTo("RATE_LIMITED");
          assertThat(reply.get("payload").get("retry_after_ms").longValue()).isPositive();
          if (reply.get("payload").get("message").stringValue().contains("client")) {
            perClient++;
          } else {
            perConnection++;
          }
        }
      }
      log.info("Flood: {} frames sent in {} ms, {} answered, {} RATE_LIMITED ({} per connection, {} per client); "
              + "side client ping RTT before p50={}ms p99={}ms ({} pings), during p50={}ms p99={}ms ({} pings)",
          frames, floodMillis, answered, perConnection + perClient, perConnection, perClient,
          percentile(before, 50), percentile(before, 99), before.size(),
          percentile(during, 50), percentile(during, 99), during.size());

      long failedChecks = limiter.redisFailures() - failuresBefore;
      log.info("Flood: {} Redis checks failed (admitted by policy)", failedChecks);
      // Exactly the limit, plus any check that timed out and was admitted by the failure policy.
      assertThat(answered).isBetween(LIMIT, LIMIT + (int) failedChecks);
      assertThat(perConnection + perClient).isEqualTo(frames - answered);
      assertThat(perConnection).as("most of the flood stops at the per-connection bucket").isGreaterThan(frames / 2);
      assertThat(flooder.isClosed()).as("a rate-limited connection stays open").isFalse();
      assertThat(side.isClosed()).isFalse();
    } finally {
      flooding.shutdownNow();
    }
  }

  /** Sequential pings; each must be answered with a pong (within WsClient.WAIT). Round trips in µs. */
  private static List<Long> pingRoundTrips(WsClient side, String label, int max, AtomicBoolean whileTrue) {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < max && whileTrue.get(); i++) {
      String id = label + i;
      long start = System.nanoTime();
      side.send("ping", id, Map.of());
      assertThat(type(side.replyTo(id))).isEqualTo("pong");
      micros.add((System.nanoTime() - start) / 1_000);
    }
    return micros;
  }

  private static String percentile(List<Long> micros, int percentile) {
    if (micros.isEmpty()) {
      return "n/a";
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return String.format(java.util.Locale.ROOT, "%.2f", sorted.get(Math.max(0, index)) / 1000.0);
  }
}
