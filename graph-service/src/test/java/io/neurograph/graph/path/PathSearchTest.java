package io.neurograph.graph.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class PathSearchTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final UUID S = token(1);
  private static final UUID A = token(2);
  private static final UUID B = token(3);
  private static final UUID C = token(4);
  private static final UUID D = token(5);
  private static final UUID T = token(9);

  @Test
  void pathsComeShortestFirst() {
    Graph g = new Graph()
        .edge(S, A).edge(A, B).edge(B, C).edge(C, T)
        .edge(S, D).edge(D, T)
        .edge(S, T);

    assertThat(find(g, S, T, 5, 10)).isEqualTo(new PathResult(List.of(
        List.of(S, T),
        List.of(S, D, T),
        List.of(S, A, B, C, T)), false));
  }

  @Test
  void limitKeepsTheShortest() {
    Graph g = new Graph()
        .edge(S, A).edge(A, B).edge(B, C).edge(C, T)
        .edge(S, D).edge(D, T)
        .edge(S, T);

    assertThat(find(g, S, T, 5, 2)).isEqualTo(new PathResult(List.of(List.of(S, T), List.of(S, D, T)), false));
    assertThat(find(g, S, T, 5, 1)).isEqualTo(new PathResult(List.of(List.of(S, T)), false));
  }

  @Test
  void pathsLongerThanMaxDepthAreLeftOut() {
    Graph g = new Graph().edge(S, A).edge(A, B).edge(B, C).edge(C, T);

    assertThat(find(g, S, T, 3, 10)).isEqualTo(new PathResult(List.of(), false));
    assertThat(find(g, S, T, 4, 10)).isEqualTo(new PathResult(List.of(List.of(S, A, B, C, T)), false));
  }

  @Test
  void cyclesNeitherLoopNorRepeatTokens() {
    // A cycle on the way (a-b-c-a), edges back into the source and out of the target.
    Graph g = new Graph()
        .edge(S, A).edge(A, B).edge(B, C).edge(C, A)
        .edge(B, S).edge(C, T).edge(T, A).edge(T, S);

    assertThat(find(g, S, T, 10, 100)).isEqualTo(new PathResult(List.of(List.of(S, A, B, C, T)), false));
  }

  @Test
  void bidirectionalEdgesAreWalkedBothWaysDirectedOnesOnlyForwards() {
    Graph g = new Graph()
        .bidirectional(A, S).edge(A, T)
        .edge(B, S).edge(B, T)
        .bidirectional(T, C);

    assertThat(find(g, S, T, 5, 10)).isEqualTo(new PathResult(List.of(List.of(S, A, T)), false));
    assertThat(find(g, S, C, 5, 10)).isEqualTo(new PathResult(List.of(List.of(S, A, T, C)), false));
    // Against the direction: only the bidirectional edges can be walked.
    assertThat(find(g, T, S, 5, 10)).isEqualTo(new PathResult(List.of(), false));
    assertThat(find(g, C, A, 5, 10)).isEqualTo(new PathResult(List.of(), false));
  }

  @Test
  void unreachableTargetHasNoPaths() {
    Graph g = new Graph().edge(S, A).edge(A, B).edge(T, C).edge(C, D);

    assertThat(find(g, S, T, 10, 10)).isEqualTo(new PathResult(List.of(), false));
    // Neither token has any edge at all.
    assertThat(find(new Graph(), S, T, 10, 10)).isEqualTo(new PathResult(List.of(), false));
  }

  @Test
  void sourceEqualToTargetIsTheOnePathOfNoEdgesWithoutReading() {
    Graph g = new Graph().edge(S, A).edge(A, S);

    assertThat(find(g, S, S, 5, 10)).isEqualTo(new PathResult(List.of(List.of(S)), false));
    assertThat(g.calls).isEmpty();
  }

  @Test
  void tiesFollowTheTokenIdsAsStrings() {
    // As signed longs (UUID.compareTo) "f..." sorts before "0..."; as strings it sorts after.
    UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
    UUID low = UUID.fromString("00000000-0000-0000-0000-0000000000ff");
    UUID mid = UUID.fromString("80000000-0000-0000-0000-000000000000");
    Graph g = new Graph()
        .edge(S, high).edge(high, T)
        .edge(S, mid).edge(mid, T)
        .edge(S, low).edge(low, T);

    PathResult expected = new PathResult(
        List.of(List.of(S, low, T), List.of(S, mid, T), List.of(S, high, T)), false);
    assertThat(find(g, S, T, 3, 10)).isEqualTo(expected);
    for (long seed = 0; seed < 5; seed++) {
      assertThat(find(g.shuffled(seed), S, T, 3, 10)).isEqualTo(expected);
    }
    assertThat(find(g, S, T, 3, 2).paths()).isEqualTo(expected.paths().subList(0, 2));
  }

  @Test
  void aCompleteGraphGivesTheLimitInOrderAndStaysBounded() {
    List<UUID> tokens = new ArrayList<>();
    Random random = new Random(30);
    for (int i = 0; i < 30; i++) {
      tokens.add(new UUID(random.nextLong(), random.nextLong()));
    }
    Graph g = new Graph();
    for (UUID from : tokens) {
      for (UUID to : tokens) {
        if (!from.equals(to)) {
          g.edge(from, to);
        }
      }
    }
    UUID source = tokens.get(0);
    UUID target = tokens.get(1);
    List<UUID> middle = tokens.subList(2, 30).stream().sorted(PathSearch.TOKEN_ORDER).toList();

    PathResult result = find(g, source, target, 10, 100);

    assertThat(result.truncated()).isFalse();
    assertThat(result.paths()).hasSize(100);
    assertThat(result.paths().get(0)).isEqualTo(List.of(source, target));
    for (int i = 0; i < 28; i++) {
      assertThat(result.paths().get(1 + i)).isEqualTo(List.of(source, middle.get(i), target));
    }
    // Then 71 of the 28 * 27 three-edge paths: the first middle token with each other one, and so on.
    assertThat(result.paths().get(29)).isEqualTo(List.of(source, middle.get(0), middle.get(1), target));
    assertThat(result.paths().subList(29, 100)).allSatisfy(p -> assertThat(p).hasSize(4));
    assertWellFormed(result, source, target, 10);
    assertThat(g.calls).hasSizeLessThanOrEqualTo(3);

    PathResult bounded = find(g, source, target, 10, 100, new PathLimits(1_000, 40));
    assertThat(bounded.truncated()).isTrue();
    assertThat(bounded.paths()).isNotEmpty().hasSizeLessThan(100);
    assertThat(bounded.paths()).isEqualTo(result.paths().subList(0, bounded.paths().size()));
  }

  @Test
  void theStepBoundEndsASearchWhoseWalksAllDeadEnd() {
    // The only way to t is through h, which every longer walk has already used: s -> h, h <-> each token
    // of a complete graph of 30, h -> t. Pruning by distance cannot see that, so without the step bound
    // the enumeration of ten-edge paths would try about 30^6 walks.
    Graph g = new Graph().edge(S, A).edge(A, T);
    List<UUID> clique = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      clique.add(token(100 + i));
    }
    for (UUID from : clique) {
      g.bidirectional(A, from);
      for (UUID to : clique) {
        if (!from.equals(to)) {
          g.edge(from, to);
        }
      }
    }

    PathResult result = find(g, S, T, 10, 10);

    assertThat(result).isEqualTo(new PathResult(List.of(List.of(S, A, T)), true));
    assertThat(g.calls).hasSizeLessThanOrEqualTo(10);
  }

  @Test
  void theVisitedBoundStopsABigFanOut() {
    Graph g = new Graph();
    for (int i = 0; i < 1_000; i++) {
      UUID leaf = token(1_000 + i);
      g.edge(S, leaf);
      g.edge(leaf, A);
    }
    g.edge(A, B).edge(B, C).edge(C, T);

    PathResult capped = find(g, S, T, 10, 10, new PathLimits(500, 1_000_000));

    assertThat(capped).isEqualTo(new PathResult(List.of(), true));
    assertThat(g.calls).hasSizeLessThanOrEqualTo(PathSearch.MAX_DEPTH);

    // With room, the search grows the small backward side instead and finds the 1,000 paths' first ten.
    PathResult roomy = find(g, S, T, 10, 10, new PathLimits(2_000, 1_000_000));
    assertThat(roomy.truncated()).isFalse();
    assertThat(roomy.paths()).hasSize(10).allSatisfy(p -> assertThat(p).hasSize(6));
  }

  @Test
  void shortPathsFoundBeforeTheVisitedBoundAreKept() {
    Graph g = new Graph().edge(S, T).edge(S, A).edge(A, T).edge(A, B);
    for (int i = 0; i < 1_000; i++) {
      UUID leaf = token(1_000 + i);
      g.edge(B, leaf);
      g.edge(leaf, C);
    }
    g.edge(C, T);

    PathResult result = find(g, S, T, 10, 10, new PathLimits(100, 1_000_000));

    assertThat(result.truncated()).isTrue();
    assertThat(result.paths()).containsExactly(List.of(S, T), List.of(S, A, T));
  }

  @Test
  void oneReadPerLevelNotPerToken() {
    // Layers of 1, 3, 9, 3 and 1 tokens.
    Graph g = new Graph();
    List<UUID> l1 = List.of(token(10), token(11), token(12));
    List<UUID> l3 = List.of(token(30), token(31), token(32));
    int n = 20;
    for (UUID a : l1) {
      g.edge(S, a);
      for (int i = 0; i < 3; i++) {
        UUID b = token(n++);
        g.edge(a, b).edge(b, l3.get(i));
      }
    }
    for (UUID c : l3) {
      g.edge(c, T);
    }

    PathResult result = find(g, S, T, 4, 100);

    assertThat(result.paths()).hasSize(9).allSatisfy(p -> assertThat(p).hasSize(5));
    assertThat(result.truncated()).isFalse();
    // Forwards from s, backwards from t, then each side's three tokens in one read each.
    assertThat(g.calls).containsExactly("successors:1", "predecessors:1", "successors:3", "predecessors:3");
  }

  @Test
  void readsStopOnceTheLimitIsReached() {
    Graph g = new Graph().edge(S, T).edge(S, A).edge(A, B).edge(B, C).edge(C, T);

    assertThat(find(g, S, T, 10, 1).paths()).containsExactly(List.of(S, T));
    assertThat(g.calls).containsExactly("successors:1");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void matchesEveryPathEnumeratedByBruteForce(long seed) {
    Random random = new Random(seed);
    int size = 6 + random.nextInt(7);
    List<UUID> tokens = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      tokens.add(new UUID(random.nextLong(), random.nextLong()));
    }
    Graph g = new Graph();
    double density = 0.1 + random.nextDouble() * 0.3;
    for (UUID from : tokens) {
      for (UUID to : tokens) {
        if (!from.equals(to) && random.nextDouble() < density) {
          if (random.nextInt(4) == 0) {
            g.bidirectional(from, to);
          } else {
            g.edge(from, to);
          }
        }
      }
    }
    for (int q = 0; q < 10; q++) {
      UUID source = tokens.get(random.nextInt(size));
      UUID target = tokens.get(random.nextInt(size));
      int maxDepth = 1 + random.nextInt(7);
      int limit = 1 + random.nextInt(30);
      List<List<UUID>> all = g.allSimplePaths(source, target, maxDepth);

      g.calls.clear();
      PathResult result = find(g, source, target, maxDepth, limit);

      assertThat(result.truncated()).isFalse();
      assertThat(result.paths()).isEqualTo(all.subList(0, Math.min(limit, all.size())));
      assertThat(g.calls).hasSizeLessThanOrEqualTo(maxDepth);
    }
  }

  @Test
  void argumentsOutsideTheProtocolBoundsAreRejected() {
    Graph g = new Graph().edge(S, T);
    PathSearch search = new PathSearch(g);

    for (Mono<PathResult> bad : List.of(
        search.find(S, T, 0, 10), search.find(S, T, 11, 10), search.find(S, T, 5, 0),
        search.find(S, T, 5, 101), search.find(null, T, 5, 10), search.find(S, null, 5, 10))) {
      StepVerifier.create(bad).expectError(IllegalArgumentException.class).verify(TIMEOUT);
    }
    assertThat(find(g, S, T, 10, 100).paths()).containsExactly(List.of(S, T));
    assertThat(g.calls).hasSize(1);
  }

  @Test
  void aFailedReadFailsTheSearch() {
    Adjacency broken = new Adjacency() {
      @Override
      public Mono<Map<UUID, Set<UUID>>> successors(Collection<UUID> tokens) {
        return Mono.error(new IllegalStateException("database down"));
      }

      @Override
      public Mono<Map<UUID, Set<UUID>>> predecessors(Collection<UUID> tokens) {
        return successors(tokens);
      }
    };

    StepVerifier.create(new PathSearch(broken).find(S, T, 5, 10))
        .expectErrorMessage("database down")
        .verify(TIMEOUT);
  }

  @Test
  void limitsRejectBoundsThatStopEverySearch() {
    assertThat(PathLimits.DEFAULT).isEqualTo(new PathLimits(200_000, 1_000_000));
    for (Runnable bad : List.<Runnable>of(() -> new PathLimits(1, 10), () -> new PathLimits(10, 0))) {
      assertThatIllegalArgumentException().isThrownBy(bad::run);
    }
  }

  private static PathResult find(Graph g, UUID source, UUID target, int maxDepth, int limit) {
    return find(g, source, target, maxDepth, limit, PathLimits.DEFAULT);
  }

  private static PathResult find(Graph g, UUID source, UUID target, int maxDepth, int limit, PathLimits limits) {
    g.calls.clear();
    List<PathResult> results = new ArrayList<>();
    StepVerifier.create(new PathSearch(g, limits).find(source, target, maxDepth, limit))
        .consumeNextWith(results::add)
        .expectComplete()
        .verify(TIMEOUT);
    return results.get(0);
  }

  /** Simple, from source to target, within the depth, shortest first, ties in token order, no repeats. */
  private static void assertWellFormed(PathResult result, UUID source, UUID target, int maxDepth) {
    Comparator<List<UUID>> order = Comparator.<List<UUID>>comparingInt(List::size).thenComparing(PATH_ORDER);
    assertThat(result.paths()).isSortedAccordingTo(order).doesNotHaveDuplicates();
    Consumer<List<UUID>> wellFormed = p -> {
      assertThat(p.get(0)).isEqualTo(source);
      assertThat(p.get(p.size() - 1)).isEqualTo(target);
      assertThat(p).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(maxDepth + 1);
    };
    assertThat(result.paths()).allSatisfy(wellFormed);
  }

  private static final Comparator<List<UUID>> PATH_ORDER = (x, y) -> {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = x.get(i).toString().compareTo(y.get(i).toString());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  };

  private static UUID token(int n) {
    return new UUID(0, n);
  }

  /** Edges in memory, answering on another thread like a database would, and recording each read. */
  private static final class Graph implements Adjacency {
    private final Map<UUID, Set<UUID>> out = new LinkedHashMap<>();
    private final Map<UUID, Set<UUID>> in = new LinkedHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    Graph edge(UUID from, UUID to) {
      out.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(to);
      in.computeIfAbsent(to, k -> new LinkedHashSet<>()).add(from);
      return this;
    }

    Graph bidirectional(UUID from, UUID to) {
      return edge(from, to).edge(to, from);
    }

    /** The same edges, listed in another order. */
    Graph shuffled(long seed) {
      List<Map.Entry<UUID, UUID>> edges = new ArrayList<>();
      out.forEach((from, tos) -> tos.forEach(to -> edges.add(Map.entry(from, to))));
      Collections.shuffle(edges, new Random(seed));
      Graph g = new Graph();
      edges.forEach(e -> g.edge(e.getKey(), e.getValue()));
      return g;
    }

    @Override
    public Mono<Map<UUID, Set<UUID>>> successors(Collection<UUID> tokens) {
      calls.add("successors:" + tokens.size());
      return read(out, tokens);
    }

    @Override
    public Mono<Map<UUID, Set<UUID>>> predecessors(Collection<UUID> tokens) {
      calls.add("predecessors:" + tokens.size());
      return read(in, tokens);
    }

    private static Mono<Map<UUID, Set<UUID>>> read(Map<UUID, Set<UUID>> edges, Collection<UUID> tokens) {
      return Mono.fromCallable(() -> {
        Map<UUID, Set<UUID>> found = new HashMap<>();
        for (UUID t : tokens) {
          Set<UUID> next = edges.get(t);
          if (next != null) {
            found.put(t, new HashSet<>(next));
          }
        }
        return found;
      }).subscribeOn(Schedulers.parallel());
    }

    /** Every simple path of at most maxDepth edges, shortest first, then in token order. */
    List<List<UUID>> allSimplePaths(UUID source, UUID target, int maxDepth) {
      List<List<UUID>> paths = new ArrayList<>();
      List<UUID> path = new ArrayList<>(List.of(source));
      collect(path, target, maxDepth, paths);
      paths.sort(Comparator.<List<UUID>>comparingInt(List::size).thenComparing(PATH_ORDER));
      return paths;
    }

    private void collect(List<UUID> path, UUID target, int maxDepth, List<List<UUID>> paths) {
      UUID last = path.get(path.size() - 1);
      if (last.equals(target)) {
        paths.add(List.copyOf(path));
        return;
      }
      if (path.size() > maxDepth) {
        return;
      }
      for (UUID next : out.getOrDefault(last, Set.of())) {
        if (!path.contains(next)) {
          path.add(next);
          collect(path, target, maxDepth, paths);
          path.remove(path.size() - 1);
        }
      }
    }
  }
}
