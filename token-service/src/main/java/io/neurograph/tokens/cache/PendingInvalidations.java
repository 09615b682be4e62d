package io.neurograph.tokens.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Generation keys this instance failed to increment. Redis that was unreachable (a partition, a hung or
 * fail-over primary) may come back with its data: the entries filed under the old generations are then
 * still there, and reading one would be a stale read. So while anything is pending, reads of this
 * instance bypass the cache, and the first Redis call that works increments the pending keys first.
 * Bounded: past {@code capacity} keys the set is dropped and the cache is bypassed for one entry
 * lifetime instead, after which every entry that escaped invalidation has expired.
 */
final class PendingInvalidations {

  private final int capacity;
  private final long entryTtlNanos;
  private final LongSupplier nanoClock;
  // key -> the sequence number of its last failure, so a repair never forgets a failure newer than itself
  private final Map<String, Long> keys = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean bypassing;
  private volatile long bypassUntil;

  PendingInvalidations(int capacity, Duration entryTtl, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.entryTtlNanos = entryTtl.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Records generation keys whose increment failed (or may have). */
  void failed(Collection<String> generationKeys) {
    if (keys.size() + generationKeys.size() > capacity) {
      bypassUntil = nanoClock.getAsLong() + entryTtlNanos;
      bypassing = true;
      keys.clear();
      return;
    }
    if (bypassing) {
      // Still inside a bypass window: extend it, the new failure's entries expire one lifetime from now.
      bypassUntil = nanoClock.getAsLong() + entryTtlNanos;
      return;
    }
    long seq = sequence.incrementAndGet();
    generationKeys.forEach(key -> keys.put(key, seq));
  }

  /** Whether reads may use the cache: nothing pending and no bypass window open. */
  boolean clear() {
    if (bypassing && nanoClock.getAsLong() - bypassUntil >= 0) {
      bypassing = false;
    }
    return !bypassing && keys.isEmpty();
  }

  /** Whether only a bypass window, which no Redis call can shorten, keeps the cache out of use. */
  boolean waitingForExpiry() {
    return bypassing && nanoClock.getAsLong() - bypassUntil < 0;
  }

  /** A snapshot of the pending keys with their failure sequence numbers. */
  Map<String, Long> snapshot() {
    return Map.copyOf(keys);
  }

  /** Forgets a key once it was incremented, unless it failed again since {@code seq}. */
  void repaired(String key, long seq) {
    keys.remove(key, seq);
  }
}
