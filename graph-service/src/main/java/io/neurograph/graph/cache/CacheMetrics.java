package io.neurograph.graph.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the read-through cache: {@code neurograph.cache.hits} and {@code neurograph.cache.misses}
 * per cache (tag {@code cache}), the gauge {@code neurograph.cache.hit.ratio} (hits / lookups since start,
 * NaN before the first lookup) and {@code neurograph.cache.errors} per Redis operation (tag
 * {@code operation}). Reads that bypass the cache (Redis down, a failed invalidation pending) count as
 * neither hit nor miss. Meters are created once and reused.
 */
final class CacheMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  CacheMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of one cache. */
  Cache cache(String name) {
    return new Cache(registry, name);
  }

  /** Counts a failed Redis call; {@code operation} is one of a few fixed names. */
  void error(String operation) {
    errors.computeIfAbsent(operation, op -> Counter.builder("neurograph.cache.errors")
            .description("Redis calls of the cache that failed or timed out (the read went to PostgreSQL)")
            .tag("operation", op.replace(' ', '_'))
            .register(registry))
        .increment();
  }

  /** Hit and miss counters of one cache, and its hit ratio gauge. */
  static final class Cache {
    private final Counter hits;
    private final Counter misses;

    private Cache(MeterRegistry registry, String name) {
      hits = Counter.builder("neurograph.cache.hits").description("Reads answered from Redis")
          .tag("cache", name).register(registry);
      misses = Counter.builder("neurograph.cache.misses").description("Reads not in Redis, loaded and cached")
          .tag("cache", name).register(registry);
      Gauge.builder("neurograph.cache.hit.ratio", this, Cache::ratio)
          .description("Hits / (hits + misses) since start")
          .tag("cache", name)
          .register(registry);
    }

    void hit() {
      hits.increment();
    }

    void miss() {
      misses.increment();
    }

    private double ratio() {
      double hit = hits.count();
      double total = hit + misses.count();
      return total == 0 ? Double.NaN : hit / total;
    }
  }
}
