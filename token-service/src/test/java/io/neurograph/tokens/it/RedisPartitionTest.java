package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.tokens.TokenCount;
import io.neurograph.contracts.tokens.TokenCountResult;
import io.neurograph.contracts.tokens.TokenData;
import io.neurograph.contracts.tokens.TokenGet;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.testkit.FreePorts;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.StoppableRedis;
import io.neurograph.testkit.TcpProxy;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.tokens.TokenServiceApplication;
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

/**
 * Redis unreachable while it keeps its data (a partition, not a restart): a change made meanwhile cannot
 * invalidate the entries Redis still holds, and once Redis is reachable again no read may return them.
 */
@SpringBootTest(classes = TokenServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisPartitionTest {

  private static final Topics TOPICS = new Topics("redis-cut-" + UUID.randomUUID().toString().substring(0, 8));
  private static final PostgresDatabase DATABASE = TestPostgres.newDatabase("tokens_redis_cut");
  private static final StoppableRedis REDIS = StoppableRedis.start();
  private static final TcpProxy LINK = TcpProxy.start(FreePorts.next(), REDIS.endpoint().port());
  private static GatewayDouble gateway;

  @Autowired
  ReactiveStringRedisTemplate redisTemplate;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("spring.r2dbc.url", DATABASE::r2dbcUrl);
    registry.add("spring.r2dbc.username", DATABASE::user);
    registry.add("spring.r2dbc.password", DATABASE::password);
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", LINK::port);
    registry.add("neurograph.kafka.topic-prefix", TOPICS::prefix);
    registry.add("neurograph.kafka.partitions", () -> 2);
    registry.add("neurograph.tokens.concurrency", () -> 1);
    registry.add("neurograph.tokens.cache.timeout", () -> "2s");
    registry.add("neurograph.tokens.cache.command-timeout", () -> "2s");
    registry.add("neurograph.tokens.cache.reconnect-max-delay", () -> "300ms");
  }

  @BeforeAll
  static void openGateway() {
    gateway = new GatewayDouble(TestKafka.bootstrapServers(), TOPICS);
  }

  @AfterAll
  static void close() {
    gateway.close();
    LINK.close();
    REDIS.close();
  }

  @Test
  void aChangeMadeWhileRedisWasUnreachableIsNeverReadStaleAfterwards() {
    TokenId id = TokenId.random();
    String type = "redis-cut";
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, type)));
    // On a loaded machine a Redis call may outlast its timeout and the read is then not cached: read again.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(get(id).version()).isEqualTo(1);
      assertThat(count(type)).isEqualTo(1);
      assertThat(keys("ng:tokens:token:" + id + ":*")).as("cached while Redis is reachable").isNotEmpty();
      assertThat(keys("ng:tokens:count:*")).as("cached while Redis is reachable").isNotEmpty();
    });

    LINK.cut();
    ReplyMessage updated =
        gateway.request(id.toString(), gateway.command("token.update", Payloads.weight(id, 4.0, null))).value();
    assertThat(updated.type()).isEqualTo("token.updated");
    TokenId other = TokenId.random();
    gateway.request(other.toString(), gateway.command("token.create", Payloads.create(other, type)));
    assertThat(get(id).version()).as("answered from PostgreSQL while cut").isEqualTo(2);
    LINK.restore();

    // Redis still holds version 1 and the count 1 under the generations it had: neither may come back,
    // whether the first read after the cut finds the connection still down or already up.
    await().during(Duration.ofSeconds(3)).atMost(GatewayDouble.WAIT).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          assertThat(get(id).version()).as("never the version Redis kept").isEqualTo(2);
          assertThat(count(type)).as("never the count Redis kept").isEqualTo(2);
        });
    // ...and the cache is in use again: the read filed version 2 under a new generation.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(get(id).version()).isEqualTo(2);
      assertThat(keys("ng:tokens:token:" + id + ":*")).hasSizeGreaterThanOrEqualTo(2);
    });
  }

  private TokenData get(TokenId id) {
    ReplyMessage reply = gateway.request(id.toString(), gateway.command("token.get", new TokenGet(id))).value();
    assertThat(reply.type()).isEqualTo("token.data");
    return Json.convert(reply.payload(), TokenData.class);
  }

  private long count(String type) {
    ReplyMessage reply = gateway.request("count", gateway.command("token.count", new TokenCount(type))).value();
    return Json.convert(reply.payload(), TokenCountResult.class).count();
  }

  private List<String> keys(String pattern) {
    return redisTemplate.keys(pattern).collectList().block(Duration.ofSeconds(10));
  }
}
