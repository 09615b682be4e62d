package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.tokens.Point3;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenCount;
import io.neurograph.contracts.tokens.TokenCountResult;
import io.neurograph.contracts.tokens.TokenData;
import io.neurograph.contracts.tokens.TokenGet;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenList;
import io.neurograph.contracts.tokens.TokenListResult;
import io.neurograph.contracts.tokens.TokenSearch;
import io.neurograph.contracts.tokens.TokenSearchResult;
import io.neurograph.contracts.tokens.TokenSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Queries end to end: get (cached, invalidated), list, count, search. */
class QueryFlowTest extends SharedContextTest {

  @Autowired
  ReactiveStringRedisTemplate redis;

  @Test
  void getAnswersFromTheCacheAndSeesEveryUpdate() {
    TokenId id = TokenId.random();
    Token created = create(Payloads.create(id, "cached"));

    ReplyMessage first = get(id);
    assertThat(first.type()).isEqualTo("token.data");
    // Through text, as on the wire: a long 3 and an int 3 are different tree nodes.
    assertThat(first.payload()).isEqualTo(Json.parse(Json.write(TokenData.of(created))));
    // The very first Redis call of a fresh service may exceed the cache timeout while it connects, and is
    // then answered uncached by design: ask until the entry is there.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(get(id).payload()).as("a cached read answers the same").isEqualTo(first.payload());
      assertThat(cacheKeys("token:" + id + ":*")).as("the read was cached").isNotEmpty();
    });

    gateway.request(id.toString(), gateway.command("token.update", Payloads.weight(id, 7.0, null)));

    TokenData afterUpdate = Json.convert(get(id).payload(), TokenData.class);
    assertThat(afterUpdate.version()).isEqualTo(2);
    assertThat(afterUpdate.weight()).isEqualTo(7.0);
  }

  @Test
  void getOfAnUnknownTokenIsNotFound() {
    TokenId id = TokenId.random();

    ReplyMessage reply = get(id);

    assertThat(reply.type()).isEqualTo("token.not_found");
    assertThat(reply.payload()).isEqualTo(Payloads.object("{\"token_id\":\"" + id + "\"}"));
  }

  @Test
  void listPagesInCreationOrderWithTotalAndTypeFilter() {
    String type = "list-" + UUID.randomUUID().toString().substring(0, 8);
    List<Token> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(create(Payloads.create(TokenId.random(), type)));
    }
    tokens.sort(Comparator.comparing(Token::createdAt).thenComparing(t -> t.tokenId().toString()));
    List<TokenSummary> expected = tokens.stream().map(TokenSummary::of).toList();

    TokenListResult first = list(new TokenList(2, 0, type));
    assertThat(first.tokens()).containsExactlyElementsOf(expected.subList(0, 2));
    assertThat(first.count()).isEqualTo(2);
    assertThat(first.offset()).isZero();
    assertThat(first.total()).isEqualTo(5);
    assertThat(list(new TokenList(2, 2, type)).tokens()).containsExactlyElementsOf(expected.subList(2, 4));
    TokenListResult last = list(new TokenList(2, 4, type));
    assertThat(last.tokens()).containsExactlyElementsOf(expected.subList(4, 5));
    assertThat(last.count()).isEqualTo(1);
    assertThat(list(new TokenList(10, 0, "no-such-" + type)).total()).isZero();
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(list(new TokenList(2, 0, type)).total()).isEqualTo(5);
      assertThat(cacheKeys("list:*")).isNotEmpty();
    });

    create(Payloads.create(TokenId.random(), type));
    assertThat(list(new TokenList(2, 0, type)).total()).as("a change invalidates cached pages").isEqualTo(6);
    assertThat(list(new TokenList(100, 0, null)).total()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void countCountsOneTypeOrAll() {
    String type = "count-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 3; i++) {
      create(Payloads.create(TokenId.random(), type));
    }

    TokenCountResult ofType = count(type);
    assertThat(ofType).isEqualTo(new TokenCountResult(3, type));
    assertThat(count(null).count()).isGreaterThanOrEqualTo(3);

    create(Payloads.create(TokenId.random(), type));
    assertThat(count(type).count()).isEqualTo(4);
  }

  @Test
  void searchFindsTokensInsideTheBoxOfOneLevel() {
    double base = 10_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    String type = "search";
    Token inside1 = create(Payloads.createAt(TokenId.random(), type, 4, base + 1, base + 1, base + 1));
    Token outside = create(Payloads.createAt(TokenId.random(), type, 4, base + 1, base + 9, base + 1));
    Token inside2 = create(Payloads.createAt(TokenId.random(), type, 4, base + 2, base + 3, base + 4));
    Point3 min = new Point3(base, base, base);
    Point3 max = new Point3(base + 5, base + 5, base + 5);

    TokenSearchResult atLevel4 = search(new TokenSearch(4, min, max, 10));
    assertThat(atLevel4.tokens()).containsExactly(inside1, inside2);
    assertThat(atLevel4.count()).isEqualTo(2);
    assertThat(atLevel4.tokens()).doesNotContain(outside);
    assertThat(search(new TokenSearch(3, min, max, 10)).tokens()).isEmpty();
    assertThat(search(new TokenSearch(4, min, max, 1)).tokens()).containsExactly(inside1);
  }

  private Token create(Object payload) {
    var command = gateway.command("token.create", payload);
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), command).value();
    assertThat(reply.type()).isEqualTo("token.created");
    return Json.convert(reply.payload(), Token.class);
  }

  private ReplyMessage get(TokenId id) {
    return gateway.request(id.toString(), gateway.command("token.get", new TokenGet(id))).value();
  }

  private TokenListResult list(TokenList list) {
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), gateway.command("token.list", list)).value();
    assertThat(reply.type()).isEqualTo("token.list");
    return Json.convert(reply.payload(), TokenListResult.class);
  }

  private TokenCountResult count(String type) {
    var command = gateway.command("token.count", new TokenCount(type));
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), command).value();
    assertThat(reply.type()).isEqualTo("token.count");
    return Json.convert(reply.payload(), TokenCountResult.class);
  }

  private TokenSearchResult search(TokenSearch search) {
    var command = gateway.command("token.search", search);
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), command).value();
    assertThat(reply.type()).isEqualTo("token.search");
    return Json.convert(reply.payload(), TokenSearchResult.class);
  }

  private List<String> cacheKeys(String pattern) {
    return redis.keys(CACHE_PREFIX + pattern).collectList().block(Duration.ofSeconds(10));
  }
}
