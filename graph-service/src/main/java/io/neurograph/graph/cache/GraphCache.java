package io.neurograph.graph.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.GraphDegreeResult;
import io.neurograph.contracts.graph.GraphNeighbors;
import io.neurograph.contracts.graph.GraphNeighborsResult;
import io.neurograph.contracts.graph.GraphStatsResult;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Read-through Redis cache of graph reads ({@code graph.neighbors}, {@code graph.degree} per token,
 * {@code graph.stats} for the whole graph; {@code graph.path} is not cached). PostgreSQL stays the only
 * copy: every Redis failure or timeout falls back to the loader, and a change increments generation
 * counters instead of deleting entries, so a slow reader can never put stale data back (see
 * {@link CacheKeys}, which also documents the key layout and expiry). An increment that failed is
 * remembered and retried before this instance reads the cache again ({@link PendingInvalidations}), so
 * Redis coming back with its data after an outage cannot serve a change's old version.
 */
@Component
public class GraphCache implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GraphCache.class);
  // Most generation keys remembered for a later increment; beyond it the cache is bypassed for one TTL.
  private static final int PENDING_CAPACITY = 10_000;
  // Other instances may read an entry a failed increment left behind until this instance repairs it, so an
  // idle instance does not wait for its next request to do so.
  private static final Duration REPAIR_INTERVAL = Duration.ofSeconds(1);

  private final ReactiveStringRedisTemplate redis;
  private final CacheProperties properties;
  private final CacheKeys keys;
  private final Duration generationTtl;
  private final RedisFailureLog failures;
  private final CacheMetrics.Cache neighborsMeters;
  private final CacheMetrics.Cache degreeMeters;
  private final CacheMetrics.Cache statsMeters;
  private final PendingInvalidations pending;
  private final AtomicBoolean repairing = new AtomicBoolean();
  private Disposable repairLoop;

  GraphCache(ReactiveStringRedisTemplate redis, CacheProperties properties, MeterRegistry meters) {
    CacheMetrics metrics = new CacheMetrics(meters);
    this.failures = new RedisFailureLog(metrics);
    this.neighborsMeters = metrics.cache("neighbors");
    this.degreeMeters = metrics.cache("degree");
    this.statsMeters = metrics.cache("stats");
    this.redis = redis;
    this.properties = properties;
    this.keys = new CacheKeys(properties.keyPrefix());
    this.generationTtl = CacheKeys.generationTtl(properties.ttl());
    this.pending = new PendingInvalidations(PENDING_CAPACITY, properties.ttl(), System::nanoTime);
  }

  /** A {@code graph.neighbors} result, cached under the token's generation. */
  public Mono<GraphNeighborsResult> neighbors(GraphNeighbors query, Mono<GraphNeighborsResult> loader) {
    return readThrough(keys.tokenGeneration(query.tokenId()),
        gen -> keys.neighbors(query.tokenId(), gen, query.direction(), query.type(), query.limit()),
        GraphNeighborsResult.class, loader, neighborsMeters);
  }

  /** A {@code graph.degree} result, cached under the token's generation. */
  public Mono<GraphDegreeResult> degree(TokenId id, Mono<GraphDegreeResult> loader) {
    return readThrough(
        keys.tokenGeneration(id), gen -> keys.degree(id, gen), GraphDegreeResult.class, loader, degreeMeters);
  }

  /** The {@code graph.stats} result, cached under the graph generation. */
  public Mono<GraphStatsResult> stats(Mono<GraphStatsResult> loader) {
    return readThrough(keys.graphGeneration(), keys::stats, GraphStatsResult.class, loader, statsMeters);
  }

  /**
   * Makes every cached read about these tokens, and the graph numbers, unreachable: increments their
   * generations and the graph generation. Never fails.
   */
  public Mono<Void> invalidate(Collection<TokenId> ids) {
    if (!properties.enabled()) {
      return Mono.empty();
    }
    List<String> generationKeys = new ArrayList<>(ids.size() + 1);
    ids.forEach(id -> generationKeys.add(keys.tokenGeneration(id)));
    generationKeys.add(keys.graphGeneration());
    return Flux.fromIterable(generationKeys)
        .concatMap(this::bump)
        .then()
        .doOnSuccess(done -> failures.succeeded())
        .then(Mono.defer(() -> pending.clear() ? Mono.empty() : repair().then()))
        // Policy: the change is committed and its reply must go out, so a Redis failure here is logged,
        // not thrown. The keys are remembered before the reply leaves: until they are incremented, this
        // instance reads PostgreSQL, and the outbox relay invalidates again after publishing.
        .onErrorResume(e -> {
          failures.failed("invalidation", e);
          pending.failed(generationKeys);
          return Mono.empty();
        });
  }

  /**
   * Increments the generation keys whose increment failed earlier. True when nothing is pending any more,
   * so reads may use the cache again; false while Redis still fails or another repair is running.
   */
  private Mono<Boolean> repair() {
    return Mono.defer(() -> {
      if (pending.waitingForExpiry() || !repairing.compareAndSet(false, true)) {
        return Mono.just(false);
      }
      return repairPending();
    });
  }

  private Mono<Boolean> repairPending() {
    return Flux.fromIterable(pending.snapshot().entrySet())
        .concatMap(entry -> bump(entry.getKey()).doOnSuccess(ok -> pending.repaired(entry.getKey(), entry.getValue())))
        .then(Mono.fromSupplier(pending::clear))
        .doOnNext(clear -> failures.succeeded())
        .onErrorResume(e -> {
          failures.failed("repair of failed invalidations", e);
          return Mono.just(false);
        })
        .doFinally(signal -> repairing.set(false));
  }

  /** Starts the loop that retries failed generation increments every second while any are remembered. */
  @Override
  public synchronized void start() {
    if (repairLoop == null && properties.enabled()) {
      repairLoop = Flux.interval(REPAIR_INTERVAL)
          .onBackpressureDrop()
          .filter(tick -> !pending.clear())
          .concatMap(tick -> repair(), 1)
          .subscribe();
    }
  }

  @Override
  public synchronized void stop() {
    if (repairLoop != null) {
      repairLoop.dispose();
      repairLoop = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return repairLoop != null;
  }

  private Mono<Boolean> bump(String generationKey) {
    return redis.opsForValue().increment(generationKey)
        .then(redis.expire(generationKey, generationTtl))
        .timeout(properties.timeout());
  }

  private <T> Mono<T> readThrough(
      String generationKey, LongFunction<String> entryKey, Class<T> type, Mono<T> loader, CacheMetrics.Cache meters) {
    if (!properties.enabled()) {
      return loader;
    }
    Mono<T> cached = currentGeneration(generationKey)
        .flatMap(generation -> generation < 0 ? loader : lookup(entryKey.apply(generation), type, loader, meters));
    // Entries filed under a generation that should have moved on may still be in Redis: read PostgreSQL
    // (and fill nothing) until the pending increments went through.
    return Mono.defer(() -> pending.clear() ? cached : repair().flatMap(clear -> clear ? cached : loader));
  }

  /** The generation to read and file under, or -1 when Redis cannot be used right now. */
  private Mono<Long> currentGeneration(String generationKey) {
    // GETEX refreshes the generation's TTL on every read, so it outlives every entry filed under it.
    return redis.opsForValue().getAndExpire(generationKey, generationTtl)
        .map(CacheKeys::generation)
        .defaultIfEmpty(0L)
        .timeout(properties.timeout())
        .doOnNext(generation -> failures.succeeded())
        // Policy: Redis is a cache, never a dependency. Unreachable or slow: read PostgreSQL, uncached.
        .onErrorResume(e -> {
          failures.failed("generation read", e);
          return Mono.just(-1L);
        });
  }

  private <T> Mono<T> lookup(String key, Class<T> type, Mono<T> loader, CacheMetrics.Cache meters) {
    Mono<Lookup<T>> cached = redis.opsForValue().get(key)
        .timeout(properties.timeout())
        .map(json -> decode(key, json, type))
        .defaultIfEmpty(Lookup.miss())
        // Policy: as above, a failed read is answered from PostgreSQL and not written back.
        .onErrorResume(e -> {
          failures.failed("read", e);
          return Mono.just(Lookup.unavailable());
        });
    return cached.flatMap(found -> {
      if (found.value() != null) {
        meters.hit();
        return Mono.just(found.value());
      }
      if (found.bypass()) {
        return loader;
      }
      meters.miss();
      return loader.flatMap(value -> store(key, value).thenReturn(value));
    });
  }

  private Mono<Void> store(String key, Object value) {
    return redis.opsForValue().set(key, Json.write(value), properties.ttl())
        .timeout(properties.timeout())
        .then()
        // Policy: failing to cache costs the next reader a database query, nothing more.
        .onErrorResume(e -> {
          failures.failed("write", e);
          return Mono.empty();
        });
  }

  private static <T> Lookup<T> decode(String key, String json, Class<T> type) {
    try {
      return new Lookup<>(Json.read(json, type), false);
    } catch (RuntimeException e) {
      // An unreadable entry (e.g. written by an incompatible version) is a miss; the reader overwrites it.
      log.warn("Ignoring unreadable cache entry {}: {}", key, e.getMessage());
      return Lookup.miss();
    }
  }

  /** Outcome of one cache read: a value, a miss (load and fill), or bypass (load, do not fill). */
  private record Lookup<T>(T value, boolean bypass) {
    static <T> Lookup<T> miss() {
      return new Lookup<>(null, false);
    }

    static <T> Lookup<T> unavailable() {
      return new Lookup<>(null, true);
    }
  }
}
