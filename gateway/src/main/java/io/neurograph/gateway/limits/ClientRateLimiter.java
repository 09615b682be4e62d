package io.neurograph.gateway.limits;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Request budget per client (subject or {@code client_id}) shared by every gateway instance: a fixed-window
 * counter in Redis, incremented and checked by one Lua script, so one round trip per admitted request.
 *
 * <p><b>Redis failure policy</b> (a local decision, as spring-cloud-gateway's {@code RedisRateLimiter}
 * makes it): Redis is a guard, not a dependency. When it is unreachable, not yet connected, or slower than
 * {@code timeout}, the request is admitted: the per-connection limit still bounds every connection, and
 * refusing all traffic because a counter store is away would turn a Redis outage into a gateway outage.
 * The outage is logged once (WARN, then INFO when Redis is back) and every request admitted that way is
 * counted ({@link #redisFailures()}, meter {@code neurograph.gateway.client.rate.limit.redis.failures}).
 *
 * <p>One long-lived reactive connection is used instead of {@code ReactiveRedisTemplate}: the template asks
 * the connection factory for a connection on every call, which takes a lock and, before the first connect,
 * connects synchronously, both on the caller's event loop. Here the connection is opened on
 * {@code boundedElastic} and then reused; Lettuce reconnects it by itself, and rejects commands while it is
 * disconnected.
 */
@Component
public class ClientRateLimiter implements DisposableBean {

  /**
   * KEYS[1] = counter; ARGV[1] = window in ms, ARGV[2] = limit. Returns 0 when admitted, else the ms until
   * the window ends. The expiry is set when missing (not only on the first increment), so a key can never
   * be left without one.
   */
  private static final String SCRIPT = """
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      if count > tonumber(ARGV[2]) then
        return ttl
      end
      return 0
      """;
  private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);
  private static final Mono<Long> ADMITTED = Mono.just(0L);

  // Lettuce's endpoint write takes a lock that its reconnect holds exclusively: the script is dispatched from
  // this one thread, never from an event loop. One thread keeps each connection's checks in frame order; a full
  // queue rejects, which the policy below treats like Redis being slow (admit).
  private final Scheduler redisWriter = Schedulers.newBoundedElastic(1, 10_000, "redis-rate-limit");
  /** Connect attempts while Redis was never reached: at most one at a time, and not more often than this. */
  private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

  private final ReactiveRedisConnectionFactory factory;
  private final ClientRateLimitProperties properties;
  private final RedisOutageLog outages = new RedisOutageLog();
  private final AtomicReference<ReactiveRedisConnection> connection = new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicLong failures = new AtomicLong();
  private final byte[] windowMillis;
  private final byte[] limit;
  private volatile long nextConnectNanos = System.nanoTime();
  private volatile boolean closed;

  ClientRateLimiter(ReactiveRedisConnectionFactory factory, ClientRateLimitProperties properties,
      ObjectProvider<MeterRegistry> meters) {
    this.factory = factory;
    this.properties = properties;
    this.windowMillis = ascii(Long.toString(properties.window().toMillis()));
    this.limit = ascii(Integer.toString(properties.limit()));
    meters.ifAvailable(registry -> FunctionCounter
        .builder("neurograph.gateway.client.rate.limit.redis.failures", failures, AtomicLong::get)
        .description("Requests admitted without the per-client limit because Redis could not be asked")
        .register(registry));
  }

  /**
   * Counts one request against {@code key}'s budget.
   *
   * @param key who the request is charged to (e.g. {@code sub:alice} or {@code client:web-1})
   * @return 0 when admitted, else milliseconds until the budget is renewed; never an error
   */
  public Mono<Long> acquire(String key) {
    if (!properties.enabled()) {
      return ADMITTED;
    }
    ReactiveRedisConnection redis = connection.get();
    if (redis == null) {
      connectInBackground();
      failures.incrementAndGet();
      return ADMITTED;
    }
    return redis.scriptingCommands()
        .<Long>eval(ByteBuffer.wrap(SCRIPT_BYTES), ReturnType.INTEGER, 1,
            ByteBuffer.wrap(ascii(properties.keyPrefix() + key)), ByteBuffer.wrap(windowMillis),
            ByteBuffer.wrap(limit))
        .next()
        .subscribeOn(redisWriter)
        // Frames of one connection start their handlers in frame order: Redis answers one connection's
        // commands in order on one Lettuce thread, and timeouts fire in order on the one single() thread
        // (a later frame's answer cannot arrive before an earlier frame's timeout).
        .timeout(properties.timeout(), Schedulers.single())
        .map(waitMs -> waitMs <= 0 ? 0L : waitMs)
        .defaultIfEmpty(0L)
        .doOnNext(waitMs -> outages.succeeded())
        // Policy (see class comment): Redis down, slow or failing → admit; the per-connection limit still applies.
        .onErrorResume(error -> {
          failures.incrementAndGet();
          outages.failed("rate limit check", error);
          return ADMITTED;
        });
  }

  /** Whether a Redis connection is open (Lettuce may still be reconnecting it). */
  public boolean connected() {
    return connection.get() != null;
  }

  /** Requests admitted without the shared limit because Redis could not be asked. */
  public long redisFailures() {
    return failures.get();
  }

  /** Opens the connection as soon as the application runs, so the first requests are already counted. */
  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    if (properties.enabled()) {
      connectInBackground();
    }
  }

  private void connectInBackground() {
    if (closed || System.nanoTime() - nextConnectNanos < 0 || !connecting.compareAndSet(false, true)) {
      return;
    }
    nextConnectNanos = System.nanoTime() + CONNECT_RETRY.toNanos();
    // The factory connects synchronously: never on an event loop.
    Mono.fromCallable(factory::getReactiveConnection)
        .subscribeOn(Schedulers.boundedElastic())
        .doFinally(signal -> connecting.set(false))
        .subscribe(
            opened -> {
              if (closed || !connection.compareAndSet(null, opened)) {
                opened.closeLater().subscribe();
              }
            },
            // Policy: a failed connect is an outage like any other: logged once, retried in the background
            // (and by requests) at most once per CONNECT_RETRY until Redis is there.
            error -> {
              outages.failed("connect", error);
              Mono.delay(CONNECT_RETRY).subscribe(tick -> connectInBackground());
            });
  }

  @Override
  public void destroy() {
    closed = true;
    redisWriter.dispose();
    ReactiveRedisConnection open = connection.getAndSet(null);
    if (open != null) {
      open.closeLater().subscribe();
    }
  }

  private static byte[] ascii(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
