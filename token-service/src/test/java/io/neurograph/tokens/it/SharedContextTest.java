package io.neurograph.tokens.it;

import io.neurograph.contracts.kafka.Topics;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.RedisEndpoint;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.testkit.TestRedis;
import io.neurograph.tokens.TokenServiceApplication;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that share one running service (one Spring context): real Kafka,
 * PostgreSQL and Redis from testkit, a database and topic prefix of its own. Test classes keep out of
 * each other's way with fresh token ids and token types; each class gets its own gateway double.
 * {@code spring.flyway.url} is deliberately not set: it is derived from the R2DBC URL.
 */
@SpringBootTest(classes = TokenServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedContextTest {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  /** Topic names of the shared service. */
  protected static final Topics TOPICS = new Topics("it-" + RUN);
  /** Redis key prefix of the shared service. */
  protected static final String CACHE_PREFIX = "it:" + RUN + ":";
  /** The shared service's database. */
  protected static final PostgresDatabase DATABASE = TestPostgres.newDatabase("tokens_it");
  /** JDBC access to it. */
  protected static final Sql SQL = new Sql(DATABASE);
  /** Records one consumer thread of the shared service processes at once (below the default, to be seen). */
  protected static final int MAX_IN_FLIGHT = 16;

  /** This test class's gateway. */
  protected static GatewayDouble gateway;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    RedisEndpoint redis = TestRedis.shared();
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("spring.r2dbc.url", DATABASE::r2dbcUrl);
    registry.add("spring.r2dbc.username", DATABASE::user);
    registry.add("spring.r2dbc.password", DATABASE::password);
    registry.add("spring.data.redis.host", redis::host);
    registry.add("spring.data.redis.port", redis::port);
    registry.add("neurograph.kafka.topic-prefix", TOPICS::prefix);
    registry.add("neurograph.kafka.partitions", () -> 3);
    registry.add("neurograph.tokens.concurrency", () -> 2);
    registry.add("neurograph.tokens.max-in-flight", () -> MAX_IN_FLIGHT);
    registry.add("neurograph.tokens.cache.key-prefix", () -> CACHE_PREFIX);
    registry.add("neurograph.tokens.outbox.poll-interval", () -> "200ms");
    registry.add("neurograph.tokens.outbox.reply-wait", () -> "30s");
    registry.add("neurograph.tokens.dedupe-window", () -> "1m");
    registry.add("neurograph.tokens.dedupe-cleanup-interval", () -> "1s");
    registry.add("neurograph.tokens.retry.initial-interval", () -> "50ms");
    registry.add("neurograph.tokens.retry.max-interval", () -> "1s");
  }

  @BeforeAll
  static void openGateway() {
    gateway = new GatewayDouble(TestKafka.bootstrapServers(), TOPICS);
  }

  @AfterAll
  static void closeGateway() {
    gateway.close();
  }
}
