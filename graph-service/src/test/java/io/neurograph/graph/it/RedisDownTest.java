package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.GraphDegree;
import io.neurograph.contracts.graph.GraphDegreeResult;
import io.neurograph.contracts.graph.GraphNeighborsResult;
import io.neurograph.contracts.graph.GraphStats;
import io.neurograph.contracts.graph.GraphStatsResult;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.GraphServiceApplication;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.StoppableRedis;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Redis is a cache: with it down the service answers from PostgreSQL, and uses it again once it is back. */
@SpringBootTest(classes = GraphServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisDownTest {

  private static final Topics TOPICS = new Topics("redis-down-" + UUID.randomUUID().toString().substring(0, 8));
  private static final PostgresDatabase DATABASE = TestPostgres.newDatabase("graph_redis_down");
  private static final StoppableRedis REDIS = StoppableRedis.start();
  private static GatewayDouble gateway;

  @Autowired
  ReactiveStringRedisTemplate redisTemplate;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("spring.r2dbc.url", DATABASE::r2dbcUrl);
    registry.add("spring.r2dbc.username", DATABASE::user);
    registry.add("spring.r2dbc.password", DATABASE::password);
    registry.add("spring.data.redis.host", () -> REDIS.endpoint().host());
    registry.add("spring.data.redis.port", () -> REDIS.endpoint().port());
    registry.add("neurograph.kafka.topic-prefix", TOPICS::prefix);
    registry.add("neurograph.kafka.partitions", () -> 2);
    registry.add("neurograph.graph.concurrency", () -> 1);
    registry.add("neurograph.graph.projection.concurrency", () -> 1);
    registry.add("neurograph.graph.cache.timeout", () -> "300ms");
    registry.add("neurograph.graph.cache.reconnect-max-delay", () -> "500ms");
  }

  @BeforeAll
  static void openGateway() {
    gateway = new GatewayDouble(TestKafka.bootstrapServers(), TOPICS);
  }

  @AfterAll
  static void close() {
    gateway.close();
    REDIS.close();
  }

  @Test
  void withRedisDownEverythingIsAnsweredFromPostgresAndCachingResumesWhenItIsBack() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    TokenId c = TokenId.random();
    gateway.created(a, b, c);
    connect(a, b);
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(neighbors(a).total()).isEqualTo(1);
      assertThat(keys("ng:graph:neighbors:" + a + ":*")).as("cached while Redis is up").isNotEmpty();
    });

    REDIS.pause();

    connect(a, c);
    assertThat(neighbors(a).total()).as("never the stale cached answer").isEqualTo(2);
    assertThat(degree(a)).isEqualTo(new GraphDegreeResult(a, 0, 2, 2));
    assertThat(stats().totalEdges()).isEqualTo(2);
    assertThat(stats().totalNodes()).isEqualTo(3);

    REDIS.resume();

    // The test's own Redis client reconnects like the service's: until then its calls fail, so retry them.
    await().atMost(GatewayDouble.WAIT).pollDelay(Duration.ZERO).ignoreExceptions().untilAsserted(() -> {
      assertThat(degree(c)).isEqualTo(new GraphDegreeResult(c, 1, 0, 1));
      assertThat(keys("ng:graph:degree:" + c + ":*")).isNotEmpty();
    });
    assertThat(neighbors(a).total()).isEqualTo(2);
  }

  private void connect(TokenId source, TokenId target) {
    ReplyMessage reply = gateway.request(source.toString(),
        gateway.command("graph.connect", Payloads.connect(source, target, "redis-down"))).value();
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("graph.connected");
  }

  private GraphNeighborsResult neighbors(TokenId token) {
    return query("graph.neighbors", Payloads.neighbors(token, Direction.BOTH, null, 10), GraphNeighborsResult.class);
  }

  private GraphDegreeResult degree(TokenId token) {
    return query("graph.degree", new GraphDegree(token), GraphDegreeResult.class);
  }

  private GraphStatsResult stats() {
    return query("graph.stats", new GraphStats(), GraphStatsResult.class);
  }

  private <T> T query(String type, Object payload, Class<T> result) {
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), gateway.command(type, payload)).value();
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo(type);
    return Json.convert(reply.payload(), result);
  }

  private List<String> keys(String pattern) {
    return redisTemplate.keys(pattern).collectList().block(Duration.ofSeconds(10));
  }
}
