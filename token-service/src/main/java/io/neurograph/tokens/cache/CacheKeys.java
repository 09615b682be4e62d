package io.neurograph.tokens.cache;

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
 * {prefix}gen:token:{token_id}                       per-token generation (INCR on every change)
 * {prefix}gen:list                                   generation of every list page and count (INCR on every change)
 * {prefix}token:{token_id}:{gen}                     a token.get result (full token JSON)
 * {prefix}list:{gen}:{type}:{limit}:{offset}         a token.list page (reply payload JSON)
 * {prefix}count:{gen}:{type}                         a token.count result (reply payload JSON)
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

  String listGeneration() {
    return prefix + "gen:list";
  }

  String token(TokenId id, long generation) {
    return prefix + "token:" + id + ":" + generation;
  }

  String listPage(long generation, String type, int limit, int offset) {
    return prefix + "list:" + generation + ":" + typeFragment(type) + ":" + limit + ":" + offset;
  }

  String count(long generation, String type) {
    return prefix + "count:" + generation + ":" + typeFragment(type);
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
