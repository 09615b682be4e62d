package io.neurograph.graph.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.TestPostgres;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code graph.path} over 100,000 edges in a real PostgreSQL, read through {@link DatabaseAdjacency}.
 *
 * <p>The graph: 19,000 tokens with five out-edges each to pseudo-random tokens among them, and an island
 * of 1,000 tokens with five out-edges each among themselves, about one edge in ten bidirectional. The
 * targets come from md5 of the edge's coordinates, so every run builds the same graph. Planted on top: a
 * four-edge chain between two new tokens that also have edges into and out of the big component, and a
 * twelve-edge tail leading out of it. Expected shortest distances come from a recursive SQL query, not
 * from the code under test.
 */
class LargeGraphPathTest {

  private static final Logger log = LoggerFactory.getLogger(LargeGraphPathTest.class);

  private static final int MAIN = 19_000;
  private static final int ISLAND = 1_000;
  private static final int OUT_DEGREE = 5;
  private static final int MAX_DEPTH = 10;
  private static final int LIMIT = 10;
  // A liveness bound for a noisy two-core machine, not a performance assertion.
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static PostgresDatabase database;
  private static ConnectionPool pool;
  private static DatabaseClient client;

  @BeforeAll
  static void buildGraph() throws SQLException {
    database = TestPostgres.newDatabase("graph_path");
    Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).load().migrate();

    long started = System.nanoTime();
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO tokens (token_id, deleted)"
          + " SELECT md5('token-' || i)::uuid, false FROM generate_series(1, " + (MAIN + ISLAND) + ") AS i");
      // h: a hash of (i, k); j0: a target drawn from i's own part; j: the same, moved off i itself.
      s.execute("INSERT INTO edges (connection_id, source_id, target_id, type, weight, bidirectional,"
          + " decay_rate, created_at)"
          + " SELECT md5('edge-' || i || '/' || k)::uuid, md5('token-' || i)::uuid, md5('token-' || j)::uuid,"
          + " 'rel' || k, 0.5, ('x' || substr(h, 9, 2))::bit(8)::int < 26, 0, now()"
          + " FROM (SELECT i, k, h,"
          + "   CASE WHEN j0 <> i THEN j0"
          + "        WHEN i <= " + MAIN + " THEN i % " + MAIN + " + 1"
          + "        ELSE " + MAIN + " + (i - " + MAIN + ") % " + ISLAND + " + 1 END AS j"
          + "   FROM (SELECT i, k, h,"
          + "     CASE WHEN i <= " + MAIN + " THEN 1 + ('x' || substr(h, 1, 8))::bit(32)::bigint % " + MAIN
          + "          ELSE " + MAIN + " + 1 + ('x' || substr(h, 1, 8))::bit(32)::bigint % " + ISLAND
          + "     END AS j0"
          + "     FROM (SELECT i, k, md5(i || '/' || k) AS h"
          + "       FROM generate_series(1, " + (MAIN + ISLAND) + ") AS i,"
          + "            generate_series(1, " + OUT_DEGREE + ") AS k) AS hashed) AS drawn) AS edge"
          + " ON CONFLICT DO NOTHING");
      plant(c);
      s.execute("ANALYZE tokens");
      s.execute("ANALYZE edges");
    }
    log.info("Built {} tokens and {} edges in {} ms", count("SELECT count(*) FROM tokens"),
        count("SELECT count(*) FROM edges"), (System.nanoTime() - started) / 1_000_000);

    ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(database.r2dbcUrl()).mutate()
        .option(ConnectionFactoryOptions.USER, database.user())
        .option(ConnectionFactoryOptions.PASSWORD, database.password())
        .build();
    pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(options))
        .maxSize(2)
        .build());
    client = DatabaseClient.create(pool);
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      StepVerifier.create(pool.disposeLater()).expectComplete().verify(TIMEOUT);
    }
  }

  @Test
  void theGraphHasAtLeastAHundredThousandEdges() {
    assertThat(count("SELECT count(*) FROM edges")).isGreaterThanOrEqualTo(100_000);
    assertThat(count("SELECT count(*) FROM edges WHERE bidirectional")).isBetween(8_000L, 12_000L);
  }

  @Test
  void thePlantedChainIsTheShortestPath() {
    List<UUID> chain = IntStream.rangeClosed(0, 4).mapToObj(n -> planted(n)).toList();
    assertThat(distance(chain.get(0), chain.get(4), MAX_DEPTH)).isEqualTo(4);

    PathResult result = search("planted chain", chain.get(0), chain.get(4));

    assertThat(result.truncated()).isFalse();
    assertThat(result.paths()).hasSize(LIMIT);
    assertThat(result.paths().get(0)).isEqualTo(chain);
    // The rest run through the big component, which the chain's ends also have edges into and out of.
    assertThat(result.paths().subList(1, LIMIT)).allSatisfy(p -> assertThat(p.size() - 1).isGreaterThan(4));
    assertWalkable(result, chain.get(0), chain.get(4));
  }

  @Test
  void randomPairsGetTheirShortestPathsFirst() {
    Random random = new Random(2024);
    for (int n = 0; n < 4; n++) {
      UUID source = token(1 + random.nextInt(MAIN));
      UUID target = token(1 + random.nextInt(MAIN));
      Integer expected = distance(source, target, MAX_DEPTH);

      PathResult result = search("random pair " + n, source, target);

      assertThat(expected).as("pair %d is within %d edges", n, MAX_DEPTH).isNotNull();
      assertThat(result.truncated()).isFalse();
      assertThat(result.paths()).hasSize(LIMIT);
      assertThat(result.paths().get(0)).hasSize(expected + 1);
      assertWalkable(result, source, target);
    }
  }

  @Test
  void theLargestRequestTheProtocolAllows() {
    UUID source = token(31);
    UUID target = token(18_003);
    Integer expected = distance(source, target, MAX_DEPTH);

    PathResult result = search("random pair, limit " + PathSearch.MAX_LIMIT, source, target, PathSearch.MAX_LIMIT);

    assertThat(expected).isNotNull();
    assertThat(result.truncated()).isFalse();
    assertThat(result.paths()).hasSize(PathSearch.MAX_LIMIT);
    assertThat(result.paths().get(0)).hasSize(expected + 1);
    assertWalkable(result, source, target);
  }

  @Test
  void pairsWithoutAPathWithinMaxDepthGetNone() {
    UUID inMain = token(4_242);
    UUID inIsland = token(MAIN + 77);
    UUID endOfTail = tail(12);
    assertThat(distance(inMain, inIsland, MAX_DEPTH)).isNull();
    assertThat(distance(inMain, endOfTail, MAX_DEPTH)).isNull();
    assertThat(distance(tail(0), endOfTail, 12)).isEqualTo(12);

    // The island never leads back out: the backward side runs out of tokens.
    assertThat(search("main to island", inMain, inIsland)).isEqualTo(new PathResult(List.of(), false));
    // Twelve edges from the big component: the backward side walks the tail, the forward side barely starts.
    assertThat(search("main to tail end", inMain, endOfTail)).isEqualTo(new PathResult(List.of(), false));
  }

  @Test
  void adjacencyReadsEachDirectionInOneQuery() {
    // probe 1 -> 2 under two types, probe 3 <-> 4 (stored as 3 -> 4, bidirectional).
    DatabaseAdjacency adjacency = new DatabaseAdjacency(client);
    List<UUID> probes = List.of(probe(1), probe(2), probe(3), probe(4));

    StepVerifier.create(adjacency.successors(probes))
        .expectNext(Map.of(probe(1), Set.of(probe(2)), probe(3), Set.of(probe(4)), probe(4), Set.of(probe(3))))
        .expectComplete()
        .verify(TIMEOUT);
    StepVerifier.create(adjacency.predecessors(probes))
        .expectNext(Map.of(probe(2), Set.of(probe(1)), probe(4), Set.of(probe(3)), probe(3), Set.of(probe(4))))
        .expectComplete()
        .verify(TIMEOUT);
    StepVerifier.create(adjacency.successors(List.of()))
        .expectNext(Map.of())
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void bothDirectionsReadThroughAnIndex() throws SQLException {
    String ids = "'{" + token(1) + "," + token(2) + "," + token(3) + "}'::uuid[]";
    for (String query : List.of(DatabaseAdjacency.SUCCESSORS, DatabaseAdjacency.PREDECESSORS)) {
      String plan = plan(query.replace(":ids", ids));
      // Which of the source_id / target_id indexes the planner picks is its business; a scan is not.
      assertThat(plan).contains("Index Cond: (source_id = ANY", "Index Cond: (target_id = ANY")
          .doesNotContain("Seq Scan");
    }
  }

  private static PathResult search(String label, UUID source, UUID target) {
    return search(label, source, target, LIMIT);
  }

  private static PathResult search(String label, UUID source, UUID target, int limit) {
    CountingAdjacency adjacency = new CountingAdjacency(new DatabaseAdjacency(client));
    List<PathResult> results = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    StepVerifier.create(new PathSearch(adjacency).find(source, target, MAX_DEPTH, limit).elapsed())
        .consumeNextWith(timed -> {
          millis.add(timed.getT1());
          results.add(timed.getT2());
        })
        .expectComplete()
        .verify(TIMEOUT);
    PathResult result = results.get(0);
    log.info("{}: {} paths ({} edges shortest), truncated {}, {} ms, {} reads, {} tokens read, {} tokens seen",
        label, result.paths().size(), result.paths().isEmpty() ? "-" : result.paths().get(0).size() - 1,
        result.truncated(), millis.get(0), adjacency.reads.get(), adjacency.tokensRead.get(), adjacency.seen.size());
    return result;
  }

  /** Each path well formed and each step an edge of the database, walked forwards or bidirectional. */
  private static void assertWalkable(PathResult result, UUID source, UUID target) {
    List<UUID> from = new ArrayList<>();
    List<UUID> to = new ArrayList<>();
    for (List<UUID> p : result.paths()) {
      assertThat(p.get(0)).isEqualTo(source);
      assertThat(p.get(p.size() - 1)).isEqualTo(target);
      assertThat(p).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(MAX_DEPTH + 1);
      for (int i = 0; i + 1 < p.size(); i++) {
        from.add(p.get(i));
        to.add(p.get(i + 1));
      }
    }
    assertThat(result.paths()).doesNotHaveDuplicates()
        .isSortedAccordingTo((x, y) -> Integer.compare(x.size(), y.size()));
    try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM unnest(?::uuid[], ?::uuid[]) AS step(a, b)"
            + " WHERE NOT EXISTS (SELECT 1 FROM edges e WHERE e.source_id = step.a AND e.target_id = step.b)"
            + " AND NOT EXISTS (SELECT 1 FROM edges e"
            + "   WHERE e.bidirectional AND e.source_id = step.b AND e.target_id = step.a)")) {
      s.setArray(1, c.createArrayOf("uuid", from.toArray()));
      s.setArray(2, c.createArrayOf("uuid", to.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("steps that are not edges").isZero();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shortest distance, by a recursive query over walks of at most {@code within} edges; null beyond. */
  private static Integer distance(UUID source, UUID target, int within) {
    String sql = "WITH RECURSIVE steps(a, b) AS ("
        + "   SELECT source_id, target_id FROM edges"
        + "   UNION ALL SELECT target_id, source_id FROM edges WHERE bidirectional),"
        + " walk(token_id, depth) AS ("
        + "   SELECT ?::uuid, 0"
        + "   UNION SELECT steps.b, walk.depth + 1 FROM walk JOIN steps ON steps.a = walk.token_id"
        + "   WHERE walk.depth < ?)"
        + " SELECT min(depth) FROM walk WHERE token_id = ?";
    try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, source);
      s.setInt(2, within);
      s.setObject(3, target);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        int d = rs.getInt(1);
        return rs.wasNull() ? null : d;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String plan(String query) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  private static void plant(Connection c) throws SQLException {
    List<UUID> tokens = new ArrayList<>();
    for (int n = 0; n <= 4; n++) {
      tokens.add(planted(n));
    }
    for (int n = 0; n <= 12; n++) {
      tokens.add(tail(n));
    }
    for (int n = 1; n <= 4; n++) {
      tokens.add(probe(n));
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO tokens (token_id, deleted) VALUES (?, false)")) {
      for (UUID t : tokens) {
        s.setObject(1, t);
        s.addBatch();
      }
      s.executeBatch();
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO edges (connection_id, source_id, target_id, type,"
        + " weight, bidirectional, decay_rate, created_at) VALUES (gen_random_uuid(), ?, ?, ?, 0.5, ?, 0, now())")) {
      for (int n = 0; n < 4; n++) {
        edge(s, planted(n), planted(n + 1), "planted", false);
      }
      // The chain's ends reach into the big component, so other (longer) paths exist between them.
      for (int n = 1; n <= 5; n++) {
        edge(s, planted(0), token(n), "planted", false);
        edge(s, token(100 + n), planted(4), "planted", false);
      }
      edge(s, token(77), tail(0), "tail", false);
      for (int n = 0; n < 12; n++) {
        edge(s, tail(n), tail(n + 1), "tail", n % 3 == 0);
      }
      edge(s, probe(1), probe(2), "a", false);
      edge(s, probe(1), probe(2), "b", false);
      edge(s, probe(3), probe(4), "a", true);
      s.executeBatch();
    }
  }

  private static void edge(PreparedStatement s, UUID from, UUID to, String type, boolean bidirectional)
      throws SQLException {
    s.setObject(1, from);
    s.setObject(2, to);
    s.setString(3, type);
    s.setBoolean(4, bidirectional);
    s.addBatch();
  }

  /** The id SQL gives {@code md5('token-' || n)::uuid}. */
  private static UUID token(int n) {
    return md5("token-" + n);
  }

  private static UUID planted(int n) {
    return md5("planted-" + n);
  }

  private static UUID tail(int n) {
    return md5("tail-" + n);
  }

  private static UUID probe(int n) {
    return md5("probe-" + n);
  }

  private static UUID md5(String text) {
    try {
      ByteBuffer digest = ByteBuffer.wrap(
          MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
      return new UUID(digest.getLong(), digest.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String query) {
    try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /** Counts the reads a search makes and the tokens they name, to report how much of the graph it saw. */
  private static final class CountingAdjacency implements Adjacency {
    private final Adjacency delegate;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger tokensRead = new AtomicInteger();
    final Set<UUID> seen = ConcurrentHashMap.newKeySet();

    CountingAdjacency(Adjacency delegate) {
      this.delegate = delegate;
    }

    @Override
    public Mono<Map<UUID, Set<UUID>>> successors(Collection<UUID> tokens) {
      return count(tokens, delegate.successors(tokens));
    }

    @Override
    public Mono<Map<UUID, Set<UUID>>> predecessors(Collection<UUID> tokens) {
      return count(tokens, delegate.predecessors(tokens));
    }

    private Mono<Map<UUID, Set<UUID>>> count(Collection<UUID> tokens, Mono<Map<UUID, Set<UUID>>> read) {
      reads.incrementAndGet();
      tokensRead.addAndGet(tokens.size());
      seen.addAll(tokens);
      return read.doOnNext(found -> found.values().forEach(seen::addAll));
    }
  }
}
