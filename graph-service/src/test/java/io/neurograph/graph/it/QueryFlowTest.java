package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphDegree;
import io.neurograph.contracts.graph.GraphDegreeResult;
import io.neurograph.contracts.graph.GraphNeighborsResult;
import io.neurograph.contracts.graph.GraphPath;
import io.neurograph.contracts.graph.GraphPathResult;
import io.neurograph.contracts.graph.GraphStats;
import io.neurograph.contracts.graph.GraphStatsResult;
import io.neurograph.contracts.graph.Neighbor;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Queries end to end: neighbors (cached, invalidated), degree, stats, path over the real database. */
class QueryFlowTest extends SharedContextTest {

  @Autowired
  ReactiveStringRedisTemplate redis;

  @Test
  void neighborsInEveryDirectionWithTypeFilterLimitAndTotalOldestFirst() {
    TokenId center = TokenId.random();
    TokenId o1 = TokenId.random();
    TokenId o2 = TokenId.random();
    TokenId o3 = TokenId.random();
    TokenId i1 = TokenId.random();
    TokenId i2 = TokenId.random();
    gateway.created(center, o1, o2, o3, i1, i2);
    List<Edge> edges = new ArrayList<>();
    edges.add(connect(center, o1, "x", false));
    edges.add(connect(i1, center, "x", false));
    edges.add(connect(center, o2, "x", false));
    edges.add(connect(i2, center, "y", false));
    edges.add(connect(center, o3, "y", false));
    connect(o1, o2, "x", false);
    List<Neighbor> all = edges.stream()
        .sorted(Comparator.comparing(Edge::createdAt).thenComparing(e -> e.connectionId().toString()))
        .map(e -> new Neighbor(e.connectionId(), e.sourceId(), e.targetId(), e.type(), e.weight()))
        .toList();

    GraphNeighborsResult both = neighbors(center, Direction.BOTH, null, 100);
    assertThat(both.tokenId()).isEqualTo(center);
    assertThat(both.direction()).isEqualTo(Direction.BOTH);
    assertThat(both.neighbors()).containsExactlyElementsOf(all);
    assertThat(both.count()).isEqualTo(5);
    assertThat(both.total()).isEqualTo(5);

    GraphNeighborsResult outgoing = neighbors(center, Direction.OUTGOING, null, 100);
    assertThat(outgoing.neighbors()).containsExactlyElementsOf(
        all.stream().filter(n -> n.sourceId().equals(center)).toList());
    assertThat(outgoing.total()).isEqualTo(3);

    GraphNeighborsResult incoming = neighbors(center, Direction.INCOMING, null, 100);
    assertThat(incoming.neighbors()).containsExactlyElementsOf(
        all.stream().filter(n -> n.targetId().equals(center)).toList());
    assertThat(incoming.total()).isEqualTo(2);

    GraphNeighborsResult typed = neighbors(center, Direction.BOTH, "x", 100);
    assertThat(typed.neighbors()).containsExactlyElementsOf(all.stream().filter(n -> n.type().equals("x")).toList());
    assertThat(typed.total()).isEqualTo(3);

    GraphNeighborsResult limited = neighbors(center, Direction.BOTH, null, 2);
    assertThat(limited.neighbors()).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(limited.count()).isEqualTo(2);
    assertThat(limited.total()).as("all matching, beyond the limit").isEqualTo(5);

    GraphNeighborsResult outgoingY = neighbors(center, Direction.OUTGOING, "y", 1);
    assertThat(outgoingY.neighbors()).extracting(Neighbor::targetId).containsExactly(o3);
    assertThat(outgoingY.total()).isEqualTo(1);
  }

  @Test
  void anUnknownTokenHasNoNeighborsAndNoDegree() {
    TokenId unknown = TokenId.random();

    GraphNeighborsResult neighbors = neighbors(unknown, Direction.BOTH, null, 10);
    assertThat(neighbors.neighbors()).isEmpty();
    assertThat(neighbors.count()).isZero();
    assertThat(neighbors.total()).isZero();
    assertThat(degree(unknown)).isEqualTo(new GraphDegreeResult(unknown, 0, 0, 0));
  }

  @Test
  void neighborsAndDegreeAreCachedAndSeeEveryChange() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    TokenId c = TokenId.random();
    gateway.created(a, b, c);
    connect(a, b, "cached", false);
    assertThat(neighbors(a, Direction.BOTH, null, 10).total()).isEqualTo(1);
    // The very first Redis call of a fresh service may exceed the cache timeout while it connects, and is
    // then answered uncached by design: ask until the entry is there.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(neighbors(a, Direction.BOTH, null, 10).total()).isEqualTo(1);
      assertThat(degree(a).outDegree()).isEqualTo(1);
      assertThat(cacheKeys("neighbors:" + a + ":*")).as("the read was cached").isNotEmpty();
      assertThat(cacheKeys("degree:" + a + ":*")).as("the read was cached").isNotEmpty();
    });

    Edge second = connect(c, a, "cached", false);
    assertThat(neighbors(a, Direction.BOTH, null, 10).total()).as("a connect at the other end").isEqualTo(2);
    assertThat(degree(a)).isEqualTo(new GraphDegreeResult(a, 1, 1, 2));

    gateway.request(a.toString(), gateway.command("graph.disconnect", Payloads.disconnect(second.connectionId())));
    assertThat(neighbors(a, Direction.BOTH, null, 10).total()).isEqualTo(1);
    assertThat(degree(a)).isEqualTo(new GraphDegreeResult(a, 0, 1, 1));

    gateway.publishTokenEvent("token.deleted", b, UUID.randomUUID(), "delete-b");
    await().atMost(GatewayDouble.WAIT).untilAsserted(
        () -> assertThat(neighbors(a, Direction.BOTH, null, 10).total()).as("a deletion at the other end").isZero());
    assertThat(degree(a)).isEqualTo(new GraphDegreeResult(a, 0, 0, 0));
  }

  @Test
  void degreeCountsEdgesEndingAndStartingAtAToken() {
    TokenId hub = TokenId.random();
    TokenId x = TokenId.random();
    TokenId y = TokenId.random();
    gateway.created(hub, x, y);
    connect(hub, x, "a", false);
    connect(hub, y, "a", false);
    connect(hub, y, "b", false);
    connect(x, hub, "a", false);

    assertThat(degree(hub)).isEqualTo(new GraphDegreeResult(hub, 1, 3, 4));
    assertThat(degree(y)).isEqualTo(new GraphDegreeResult(y, 2, 0, 2));
  }

  @Test
  void statsCountLiveTokensAndEdgesAndDeriveAverageDegreeAndDensity() {
    GraphStatsResult before = stats();
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    TokenId c = TokenId.random();
    gateway.created(a, b, c);
    connect(a, b, "s", false);
    connect(b, c, "s", false);
    connect(c, a, "s", false);

    GraphStatsResult after = stats();

    assertThat(after.totalNodes()).isEqualTo(before.totalNodes() + 3);
    assertThat(after.totalEdges()).isEqualTo(before.totalEdges() + 3);
    assertConsistent(after);

    gateway.publishTokenEvent("token.deleted", c, UUID.randomUUID(), "delete-c");
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      GraphStatsResult deleted = stats();
      assertThat(deleted.totalNodes()).isEqualTo(before.totalNodes() + 2);
      assertThat(deleted.totalEdges()).as("both edges of c went with it").isEqualTo(before.totalEdges() + 1);
      assertConsistent(deleted);
    });
  }

  @Test
  void pathsOverTheDatabaseShortestFirstFollowingBidirectionalEdgesBackwards() {
    TokenId s = TokenId.random();
    TokenId m1 = TokenId.random();
    TokenId m2 = TokenId.random();
    TokenId t = TokenId.random();
    TokenId lone = TokenId.random();
    gateway.created(s, m1, m2, t, lone);
    connect(s, t, "p", false);
    connect(s, m1, "p", false);
    connect(m1, t, "p", false);
    connect(s, m2, "p", true);
    connect(t, m2, "p", true);

    GraphPathResult found = path(s, t, 5, 10);

    List<List<TokenId>> twoHops = new ArrayList<>(List.of(List.of(s, m1, t), List.of(s, m2, t)));
    twoHops.sort(Comparator.comparing(List::toString));
    assertThat(found.sourceId()).isEqualTo(s);
    assertThat(found.targetId()).isEqualTo(t);
    assertThat(found.paths()).containsExactly(List.of(s, t), twoHops.get(0), twoHops.get(1));
    assertThat(found.count()).isEqualTo(3);
    assertThat(found.truncated()).isFalse();

    assertThat(path(s, t, 1, 10).paths()).as("max_depth").containsExactly(List.of(s, t));
    assertThat(path(s, t, 5, 1).paths()).as("limit").containsExactly(List.of(s, t));
    assertThat(path(t, s, 5, 10).paths()).as("only along bidirectional edges backwards")
        .containsExactly(List.of(t, m2, s));
    assertThat(path(s, lone, 10, 10).paths()).isEmpty();
  }

  private static void assertConsistent(GraphStatsResult stats) {
    double n = stats.totalNodes();
    double e = stats.totalEdges();
    assertThat(stats.avgDegree()).isCloseTo(n == 0 ? 0 : 2 * e / n, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(stats.density()).isCloseTo(n < 2 ? 0 : e / (n * (n - 1)), org.assertj.core.data.Offset.offset(1e-12));
  }

  private Edge connect(TokenId source, TokenId target, String type, boolean bidirectional) {
    GraphConnect connect = new GraphConnect(source, target, type, 0.5, bidirectional, 0, Payloads.object("{}"));
    ReplyMessage reply = gateway.request(source.toString(), gateway.command("graph.connect", connect)).value();
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("graph.connected");
    return Json.convert(reply.payload(), Edge.class);
  }

  private GraphNeighborsResult neighbors(TokenId token, Direction direction, String type, int limit) {
    return query("graph.neighbors", Payloads.neighbors(token, direction, type, limit), GraphNeighborsResult.class);
  }

  private GraphDegreeResult degree(TokenId token) {
    return query("graph.degree", new GraphDegree(token), GraphDegreeResult.class);
  }

  private GraphStatsResult stats() {
    return query("graph.stats", new GraphStats(), GraphStatsResult.class);
  }

  private GraphPathResult path(TokenId source, TokenId target, int maxDepth, int limit) {
    return query("graph.path", new GraphPath(source, target, maxDepth, limit), GraphPathResult.class);
  }

  private <T> T query(String type, Object payload, Class<T> result) {
    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), gateway.command(type, payload)).value();
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo(type);
    return Json.convert(reply.payload(), result);
  }

  private List<String> cacheKeys(String pattern) {
    return redis.keys(CACHE_PREFIX + pattern).collectList().block(Duration.ofSeconds(10));
  }
}
