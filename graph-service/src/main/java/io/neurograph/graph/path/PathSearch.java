package io.neurograph.graph.path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bounded search for the shortest simple paths between two tokens ({@code graph.path}).
 *
 * <p>Algorithm. A bidirectional breadth-first search reads the graph one level at a time, one
 * {@link Adjacency} call per level, always growing the side whose frontier is smaller: forwards from the
 * source ({@code successors}) or backwards from the target ({@code predecessors}). After {@code f} forward
 * and {@code b} backward levels, every edge of every path of at most {@code f + b} edges is among the edges
 * read so far (each such edge leaves a token within {@code f - 1} of the source or enters one within
 * {@code b - 1} of the target). So after each level the search enumerates the paths of exactly
 * {@code f + b} edges in memory: a depth-first search from the source, neighbours in token order, that
 * never repeats a token and is pruned by {@code depth + distanceToTarget(v) <= length}, the distances
 * coming from a breadth-first search over the edges read so far. Lengths are enumerated in increasing
 * order, so paths come out shortest first and, within a length, in lexicographic order. The search stops
 * as soon as it has {@code limit} paths, reaches {@code maxDepth}, or one side runs out of tokens (then
 * every path is in memory and the remaining lengths are enumerated without further reads). Growing the
 * smaller side means two balls of about half the depth each, usually far fewer tokens than one ball of the
 * full depth, and stopping at {@code limit} paths skips the deepest, largest levels when shorter paths
 * suffice. A search makes at most {@code maxDepth} reads, and never reads the target forwards or the
 * source backwards: no simple path leaves the target or enters the source.
 *
 * <p>Bounds. The tokens held in memory are capped by {@link PathLimits#maxVisited()}: a level that would
 * exceed it is discarded and the search stops (that one read's answer has been in memory briefly; how
 * large a single read can get is up to the {@link Adjacency}). The enumeration is capped by
 * {@link PathLimits#maxSteps()} edges followed. Either stop sets {@link PathResult#truncated()} and
 * returns the paths found so far, which are still the shortest ones and still in order.
 *
 * <p>Thread-safe: each call works on its own state.
 */
public final class PathSearch {

  /** Most edges a path may have (the protocol's bound on {@code max_depth}). */
  public static final int MAX_DEPTH = 10;

  /** Most paths one search may return (the protocol's bound on {@code limit}). */
  public static final int MAX_LIMIT = 100;

  private static final Logger log = LoggerFactory.getLogger(PathSearch.class);

  // The canonical string of a UUID is its 128 bits as fixed-width lowercase hex, so string order is
  // unsigned order of (most, least) significant bits; UUID.compareTo compares signed and would differ.
  static final Comparator<UUID> TOKEN_ORDER = Comparator
      .comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
      .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

  private final Adjacency adjacency;
  private final PathLimits limits;

  /** A search over the given edges with the default bounds ({@link PathLimits#DEFAULT}). */
  public PathSearch(Adjacency adjacency) {
    this(adjacency, PathLimits.DEFAULT);
  }

  /** A search over the given edges with the given bounds. */
  public PathSearch(Adjacency adjacency, PathLimits limits) {
    this.adjacency = Objects.requireNonNull(adjacency, "adjacency");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Up to {@code limit} simple paths (no token twice) of at most {@code maxDepth} edges from
   * {@code source} to {@code target}, shortest first; {@code [[source]]} when they are the same token,
   * no paths when none exists. Fails with {@link IllegalArgumentException} when a token is null,
   * {@code maxDepth} is outside 1..{@value #MAX_DEPTH} or {@code limit} outside 1..{@value #MAX_LIMIT}.
   */
  public Mono<PathResult> find(UUID source, UUID target, int maxDepth, int limit) {
    if (source == null || target == null) {
      return Mono.error(new IllegalArgumentException("source and target are required"));
    }
    if (maxDepth < 1 || maxDepth > MAX_DEPTH) {
      return Mono.error(new IllegalArgumentException("maxDepth must be 1.." + MAX_DEPTH + ", was " + maxDepth));
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Mono.error(new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit));
    }
    if (source.equals(target)) {
      return Mono.just(new PathResult(List.of(List.of(source)), false));
    }
    return Mono.defer(() -> new Run(source, target, maxDepth, limit).start());
  }

  /** A token the search has seen, with the edges read at it so far. */
  private static final class Node {
    private static final Node[] NONE = new Node[0];

    final UUID id;
    /** Edges from the source to this token, or -1 when the forward search has not reached it. */
    int forward = -1;
    /** Edges from this token to the target, or -1 when the backward search has not reached it. */
    int backward = -1;
    Node[] out = NONE;
    int outSize;
    boolean outSorted = true;
    Node[] in = NONE;
    int inSize;
    /** Distance to the target over the edges read so far, valid when {@code distanceRound} is current. */
    int distance;
    int distanceRound = -1;
    boolean onPath;

    Node(UUID id) {
      this.id = id;
    }
  }

  private static final Comparator<Node> NODE_ORDER = Comparator.comparing(n -> n.id, TOKEN_ORDER);

  /** The state of one search; used by one subscriber, one signal at a time. */
  private final class Run {
    private final int maxDepth;
    private final int limit;
    private final Map<UUID, Node> nodes = new HashMap<>();
    private final Node source;
    private final Node target;
    private List<Node> forwardFrontier;
    private List<Node> backwardFrontier;
    private int forwardLevels;
    private int backwardLevels;
    private final List<List<UUID>> paths = new ArrayList<>();
    private long steps;
    private int reads;
    private int round;
    private boolean truncated;
    private Node[] path;

    Run(UUID sourceId, UUID targetId, int maxDepth, int limit) {
      this.maxDepth = maxDepth;
      this.limit = limit;
      source = node(sourceId);
      source.forward = 0;
      target = node(targetId);
      target.backward = 0;
      forwardFrontier = List.of(source);
      backwardFrontier = List.of(target);
    }

    Mono<PathResult> start() {
      return next().then(Mono.fromSupplier(this::result));
    }

    /** Reads one more level, enumerates the paths it completes, and repeats until done. */
    private Mono<Void> next() {
      if (forwardFrontier.isEmpty() || backwardFrontier.isEmpty()) {
        // One side is exhausted: every path from the source (or to the target) is already in memory.
        for (int length = forwardLevels + backwardLevels + 1; length <= maxDepth && !done(); length++) {
          enumerate(length);
        }
        return Mono.empty();
      }
      boolean forward = forwardFrontier.size() <= backwardFrontier.size();
      List<Node> frontier = forward ? forwardFrontier : backwardFrontier;
      List<UUID> ids = frontier.stream().map(n -> n.id).toList();
      reads++;
      Mono<Map<UUID, Set<UUID>>> level = forward ? adjacency.successors(ids) : adjacency.predecessors(ids);
      // Merging and enumerating are CPU work of up to maxSteps: off the database driver's event loop.
      return level.defaultIfEmpty(Map.of()).publishOn(Schedulers.parallel()).flatMap(edges -> {
        if (!merge(forward, edges)) {
          truncated = true;
          return Mono.empty();
        }
        enumerate(forwardLevels + backwardLevels);
        if (done() || forwardLevels + backwardLevels >= maxDepth) {
          return Mono.empty();
        }
        return next();
      });
    }

    private boolean done() {
      return paths.size() >= limit || truncated;
    }

    /**
     * Adds one level read forwards (edges out of the forward frontier) or backwards (edges into the
     * backward frontier); false, changing nothing, when its new tokens would exceed the visited bound.
     */
    private boolean merge(boolean forward, Map<UUID, Set<UUID>> edges) {
      int level = forward ? forwardLevels : backwardLevels;
      Set<UUID> fresh = new HashSet<>();
      for (Map.Entry<UUID, Set<UUID>> e : edges.entrySet()) {
        if (inFrontier(nodes.get(e.getKey()), forward, level)) {
          for (UUID id : e.getValue()) {
            if (!nodes.containsKey(id)) {
              fresh.add(id);
            }
          }
        }
      }
      if (nodes.size() + fresh.size() > limits.maxVisited()) {
        return false;
      }
      List<Node> next = new ArrayList<>();
      for (Map.Entry<UUID, Set<UUID>> e : edges.entrySet()) {
        Node here = nodes.get(e.getKey());
        // Only tokens that were asked about: the completeness argument counts on which tokens were read.
        if (!inFrontier(here, forward, level)) {
          continue;
        }
        for (UUID id : e.getValue()) {
          if (id.equals(here.id)) {
            continue;
          }
          Node there = node(id);
          if (forward) {
            // An edge into a token the backward side has read was recorded then; the same goes mirrored.
            if (!(there.backward >= 0 && there.backward < backwardLevels)) {
              addEdge(here, there);
            }
            if (there.forward < 0) {
              there.forward = level + 1;
              // No simple path to the target leaves it, so its successors are never needed.
              if (there != target) {
                next.add(there);
              }
            }
          } else {
            if (!(there.forward >= 0 && there.forward < forwardLevels)) {
              addEdge(there, here);
            }
            if (there.backward < 0) {
              there.backward = level + 1;
              if (there != source) {
                next.add(there);
              }
            }
          }
        }
      }
      if (forward) {
        forwardLevels++;
        forwardFrontier = next;
      } else {
        backwardLevels++;
        backwardFrontier = next;
      }
      return true;
    }

    private boolean inFrontier(Node node, boolean forward, int level) {
      return node != null && (forward ? node.forward : node.backward) == level;
    }

    private Node node(UUID id) {
      return nodes.computeIfAbsent(id, Node::new);
    }

    private void addEdge(Node from, Node to) {
      if (from.outSize == from.out.length) {
        from.out = Arrays.copyOf(from.out, Math.max(4, from.outSize * 2));
      }
      from.out[from.outSize++] = to;
      from.outSorted = false;
      if (to.inSize == to.in.length) {
        to.in = Arrays.copyOf(to.in, Math.max(4, to.inSize * 2));
      }
      to.in[to.inSize++] = from;
    }

    /** Appends the paths of exactly {@code length} edges over the edges read so far, in token order. */
    private void enumerate(int length) {
      if (length < 1 || length > maxDepth || done()) {
        return;
      }
      round++;
      distancesToTarget(length);
      if (distance(source) > length) {
        return;
      }
      path = new Node[length + 1];
      path[0] = source;
      source.onPath = true;
      walk(source, 0, length);
      source.onPath = false;
    }

    /** Breadth-first over the edges read so far, backwards from the target, up to {@code length}. */
    private void distancesToTarget(int length) {
      target.distance = 0;
      target.distanceRound = round;
      List<Node> level = List.of(target);
      for (int d = 1; d <= length && !level.isEmpty(); d++) {
        List<Node> next = new ArrayList<>();
        for (Node n : level) {
          for (int i = 0; i < n.inSize; i++) {
            Node p = n.in[i];
            if (p.distanceRound != round) {
              p.distanceRound = round;
              p.distance = d;
              next.add(p);
            }
          }
        }
        level = next;
      }
    }

    private int distance(Node n) {
      return n.distanceRound == round ? n.distance : Integer.MAX_VALUE / 2;
    }

    /** Depth-first: extends {@code path[0..depth]} (ending at {@code here}) to exactly {@code length} edges. */
    private void walk(Node here, int depth, int length) {
      if (!here.outSorted) {
        Arrays.sort(here.out, 0, here.outSize, NODE_ORDER);
        here.outSorted = true;
      }
      for (int i = 0; i < here.outSize && !done(); i++) {
        if (++steps > limits.maxSteps()) {
          truncated = true;
          return;
        }
        Node there = here.out[i];
        if (there == target) {
          // A simple path ends at the target; shorter arrivals were listed in an earlier round.
          if (depth + 1 == length) {
            path[length] = target;
            paths.add(Arrays.stream(path).map(n -> n.id).toList());
          }
          continue;
        }
        if (there.onPath || depth + 1 + distance(there) > length) {
          continue;
        }
        there.onPath = true;
        path[depth + 1] = there;
        walk(there, depth + 1, length);
        there.onPath = false;
      }
    }

    private PathResult result() {
      log.debug("path {} -> {} (max depth {}, limit {}): {} paths, truncated {}, {} tokens, {} reads, {} steps",
          source.id, target.id, maxDepth, limit, paths.size(), truncated, nodes.size(), reads, steps);
      return new PathResult(paths, truncated);
    }
  }
}
