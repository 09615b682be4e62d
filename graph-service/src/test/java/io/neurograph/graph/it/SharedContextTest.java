package io.neurograph.graph.it;

import io.neurograph.contracts.kafka.Topics;
import io.neurograph.graph.GraphServiceApplication;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.RedisEndpoint;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.testkit.TestRedis;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that share one running service (one Spring context): real Kafka,
 * PostgreSQL and Redis from testkit, a database and topic prefix of its own, three partitions on every
 * topic (the token event topic included). Test classes keep out of each other's way with fresh token ids;
 * each class gets its own gateway double. {@code spring.flyway.url} is deliberately not set: it is derived
 * from the R2DBC URL.
 */
@SpringBootTest(classes = GraphServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedContextTest {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  /** Topic names of the shared service. */
  protected static final Topics TOPICS = new Topics("it-" + RUN);
  /** Partitions of every topic of the shared service. */
  protected static final int PARTITIONS = 3;
  /** Redis key prefix of the shared service. */
  protected static final String CACHE_PREFIX = "it:" + RUN + ":";
  /** The shared service's database. */
  protected static final PostgresDatabase DATABASE = TestPostgres.newDatabase("graph_it");
  /** JDBC access to it. */
  protected static final Sql SQL = new Sql(DATABASE);

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
    registry.add("neurograph.kafka.partitions", () -> PARTITIONS);
    registry.add("neurograph.graph.concurrency", () -> 2);
    registry.add("neurograph.graph.projection.concurrency", () -> 2);
    registry.add("neurograph.graph.projection.catch-up-timeout", () -> "3s");
    registry.add("neurograph.graph.cache.key-prefix", () -> CACHE_PREFIX);
    registry.add("neurograph.graph.outbox.poll-interval", () -> "200ms");
    registry.add("neurograph.graph.dedupe-window", () -> "1m");
    registry.add("neurograph.graph.dedupe-cleanup-interval", () -> "1s");
    registry.add("neurograph.graph.retry.initial-interval", () -> "50ms");
    registry.add("neurograph.graph.retry.max-interval", () -> "1s");
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
