package io.neurograph.gateway;

import static io.neurograph.gateway.ClientRateLimitTest.connect;
import static io.neurograph.gateway.ClientRateLimitTest.type;
import static io.neurograph.gateway.ClientRateLimitTest.unsubscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.neurograph.gateway.limits.ClientRateLimiter;
import io.neurograph.testkit.StoppableRedis;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The Redis failure policy: without Redis the gateway starts, is ready, and admits requests (only the
 * per-connection limit applies); the outage is logged once. When Redis comes back the shared limit applies
 * again; when it goes away while connected, requests are admitted again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ClientRateLimitRedisDownTest {

  private static final int LIMIT = 5;
  private static final StoppableRedis redis = stopped();
  private static final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  private static StoppableRedis stopped() {
    StoppableRedis server = StoppableRedis.start();
    server.pause();
    return server;
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "crld-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("spring.data.redis.host", () -> redis.endpoint().host());
    registry.add("spring.data.redis.port", () -> redis.endpoint().port());
    registry.add("neurograph.gateway.client-rate-limit.limit", () -> LIMIT);
    registry.add("neurograph.gateway.client-rate-limit.window", () -> "60s");
    // Only Redis being away may fail a check here, not a slow machine (see ClientRateLimitTest).
    registry.add("neurograph.gateway.client-rate-limit.timeout", () -> "2s");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @LocalServerPort int port;
  @Autowired ClientRateLimiter limiter;
  @Autowired WebTestClient http;

  @Test
  void withoutRedisRequestsAreAdmittedAndTheOutageIsLoggedOnce() {
    // Attached once the context (and so Spring Boot's logging set-up) is up; the start-up outage may have
    // been logged before that.
    Logger limiterLog = (Logger) LoggerFactory.getLogger(ClientRateLimiter.class);
    logged.start();
    limiterLog.addAppender(logged);
    try {
      http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
      http.get().uri("/actuator/health").exchange().expectStatus().isOk();

      String clientId = "down-" + UUID.randomUUID().toString().substring(0, 8);
      try (WsClient client = connect(port, clientId)) {
        // Redis down from the start: more than the limit, all answered.
        for (int i = 0; i < 3 * LIMIT; i++) {
          assertThat(type(unsubscribe(client, "d" + i))).isEqualTo("unsubscribed");
        }
        assertThat(limiter.connected()).isFalse();
        assertThat(limiter.redisFailures()).isGreaterThanOrEqualTo(3L * LIMIT);
        assertThat(warnings(logged)).as("the start-up outage is logged once, not per request").isLessThanOrEqualTo(1);

        // Redis back: the shared limit applies again.
        redis.resume();
        await().atMost(WsClient.WAIT).until(limiter::connected);
        for (int i = 0; i < LIMIT; i++) {
          assertThat(type(unsubscribe(client, "u" + i))).isEqualTo("unsubscribed");
        }
        assertThat(ClientRateLimitTest.code(unsubscribe(client, "u-over"))).isEqualTo("RATE_LIMITED");

        // Redis gone while connected (Lettuce rejects commands while reconnecting): admitted again.
        redis.pause();
        long failuresBefore = limiter.redisFailures();
        long warningsBefore = warnings(logged);
        await().atMost(WsClient.WAIT).untilAsserted(() ->
            assertThat(type(unsubscribe(client, "p" + UUID.randomUUID()))).isEqualTo("unsubscribed"));
        for (int i = 0; i < 3 * LIMIT; i++) {
          assertThat(type(unsubscribe(client, "g" + i))).isEqualTo("unsubscribed");
        }
        assertThat(limiter.redisFailures()).isGreaterThanOrEqualTo(failuresBefore + 3L * LIMIT);
        assertThat(client.isClosed()).isFalse();
        // One WARN for this outage, however many requests failed.
        assertThat(warnings(logged) - warningsBefore).isEqualTo(1);
      }
    } finally {
      limiterLog.detachAppender(logged);
    }
  }

  private static long warnings(ListAppender<ILoggingEvent> appender) {
    // The appender's list is written from other threads: copy it under its own lock-free snapshot.
    return List.copyOf(appender.list).stream().filter(event -> event.getLevel() == Level.WARN).count();
  }
}
