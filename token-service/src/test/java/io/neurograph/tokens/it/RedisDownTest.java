package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.tokens.TokenData;
import io.neurograph.contracts.tokens.TokenGet;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenList;
import io.neurograph.contracts.tokens.TokenListResult;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.StoppableRedis;
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

/** Redis is a cache: with it down the service answers from PostgreSQL, and uses it again once it is back. */
@SpringBootTest(classes = TokenServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisDownTest {

  private static final Topics TOPICS = new Topics("redis-down-" + UUID.randomUUID().toString().substring(0, 8));
  private static final PostgresDatabase DATABASE = TestPostgres.newDatabase("tokens_redis_down");
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
    registry.add("neurograph.tokens.concurrency", () -> 1);
    registry.add("neurograph.tokens.cache.timeout", () -> "300ms");
    registry.add("neurograph.tokens.cache.reconnect-max-delay", () -> "500ms");
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
    TokenId id = TokenId.random();
    String type = "redis-down";
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, type)));
    // On a loaded machine a Redis call may outlast the 300 ms timeout and that read is not cached: read again.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(get(id).version()).isEqualTo(1);
      assertThat(keys("ng:tokens:token:" + id + ":*")).as("cached while Redis is up").isNotEmpty();
    });

    REDIS.pause();

    ReplyMessage updated =
        gateway.request(id.toString(), gateway.command("token.update", Payloads.weight(id, 4.0, null))).value();
    assertThat(updated.type()).isEqualTo("token.updated");
    assertThat(get(id).version()).as("never the stale cached version").isEqualTo(2);
    TokenId other = TokenId.random();
    ReplyMessage created =
        gateway.request(other.toString(), gateway.command("token.create", Payloads.create(other, type))).value();
    assertThat(created.type()).isEqualTo("token.created");
    ReplyMessage listed = gateway.request("k", gateway.command("token.list", new TokenList(10, 0, type))).value();
    assertThat(Json.convert(listed.payload(), TokenListResult.class).total()).isEqualTo(2);

    REDIS.resume();

    // The test's own Redis client reconnects like the service's: until then its calls fail, so retry them.
    await().atMost(GatewayDouble.WAIT).pollDelay(Duration.ZERO).ignoreExceptions().untilAsserted(() -> {
      assertThat(get(other).tokenId()).isEqualTo(other);
      assertThat(keys("ng:tokens:token:" + other + ":*")).isNotEmpty();
    });
    assertThat(get(id).version()).isEqualTo(2);
  }

  private TokenData get(TokenId id) {
    ReplyMessage reply = gateway.request(id.toString(), gateway.command("token.get", new TokenGet(id))).value();
    assertThat(reply.type()).isEqualTo("token.data");
    return Json.convert(reply.payload(), TokenData.class);
  }

  private List<String> keys(String pattern) {
    return redisTemplate.keys(pattern).collectList().block(Duration.ofSeconds(10));
  }
}
