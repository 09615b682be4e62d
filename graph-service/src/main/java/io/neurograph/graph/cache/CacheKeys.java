package io.neurograph.graph.cache;

import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.tokens.TokenId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The Redis key layout. Entries are stored under the generation that was current when the reader
 * started; a change increments the generation, so an entry written by a slow reader after the change is
 * filed under an old generation nobody reads again.
 *
 * <pre>
 * {prefix}gen:token:{token_id}        per-token generation (INCR on every change of its edges or existence)
 * {prefix}gen:graph                   generation of the whole graph (INCR on every change)
 * {prefix}neighbors:{token_id}:{gen}:{direction}:{type}:{limit}
 *                                     a graph.neighbors result (reply payload JSON)
 * {prefix}degree:{token_id}:{gen}     a graph.degree result
 * {prefix}stats:{gen}                 a graph.stats result (under the graph generation)
 * </pre>
 *
 * {@code {type}} is {@code *} for "all types" or {@code =} followed by the base64url of the type, so any
 * type text is a safe key fragment.
 */
final class CacheKeys {

  private final String prefix;

  CacheKeys(String prefix) {
    this.prefix = prefix;
  }

  String tokenGeneration(TokenId id) {
    return prefix + "gen:token:" + id;
  }

  String graphGeneration() {
    return prefix + "gen:graph";
  }

  String neighbors(TokenId id, long generation, Direction direction, String type, int limit) {
    return prefix + "neighbors:" + id + ":" + generation + ":" + direction.wireName() + ":" + typeFragment(type)
        + ":" + limit;
  }

  String degree(TokenId id, long generation) {
    return prefix + "degree:" + id + ":" + generation;
  }

  String stats(long generation) {
    return prefix + "stats:" + generation;
  }

  /**
   * How long a generation key outlives its last use. It must outlive every entry filed under its
   * generations (entry TTL + the slowest reader, which is bounded by the processing timeout); otherwise
   * an expired counter restarts at 0 while entries of the old count 0.. are still alive.
   */
  static Duration generationTtl(Duration entryTtl) {
    return entryTtl.multipliedBy(2).plus(Duration.ofMinutes(1));
  }

  /** A missing generation key reads as generation 0. */
  static long generation(String stored) {
    return stored == null ? 0L : Long.parseLong(stored);
  }

  private static String typeFragment(String type) {
    if (type == null) {
      return "*";
    }
    return "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(type.getBytes(StandardCharsets.UTF_8));
  }
}
