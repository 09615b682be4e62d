package io.neurograph.graph.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Meters of the outbox: {@code neurograph.outbox.backlog} (rows not yet published, recounted every
 * {@code outbox.backlog-refresh} by one non-blocking {@code count(*)}, so scrapes never touch the
 * database; -1 until the first count), {@code neurograph.outbox.published} (events this instance
 * published) and {@code neurograph.outbox.failures} (relay rounds that failed and were rolled back).
 */
@Component
class OutboxMetrics implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

  private final DatabaseClient db;
  private final Duration refresh;
  private final AtomicLong backlog = new AtomicLong(-1);
  private final Counter published;
  private final Counter failures;
  private Disposable counting;

  OutboxMetrics(DatabaseClient db, OutboxProperties properties, MeterRegistry registry) {
    this.db = db;
    this.refresh = properties.backlogRefresh();
    Gauge.builder("neurograph.outbox.backlog", backlog, AtomicLong::get)
        .description("Outbox rows not yet published (all instances), as of the last count")
        .register(registry);
    published = Counter.builder("neurograph.outbox.published")
        .description("Events this instance's relay published (acknowledged by Kafka)")
        .register(registry);
    failures = Counter.builder("neurograph.outbox.failures")
        .description("Relay rounds that failed and were rolled back (their rows are retried)")
        .register(registry);
  }

  void published(int events) {
    published.increment(events);
  }

  void failed() {
    failures.increment();
  }

  @Override
  public synchronized void start() {
    if (counting != null) {
      return;
    }
    counting = Flux.interval(Duration.ZERO, refresh)
        .onBackpressureDrop()
        .concatMap(tick -> db.sql("SELECT count(*) AS rows FROM outbox")
            .map(row -> row.get("rows", Long.class))
            .one()
            .timeout(refresh)
            // Policy: a failed count keeps the last value; the relay's own failures are counted separately.
            .onErrorResume(e -> {
              log.debug("Counting the outbox failed: {}", e.toString());
              return Mono.empty();
            }), 1)
        .subscribe(backlog::set);
  }

  @Override
  public synchronized void stop() {
    if (counting != null) {
      counting.dispose();
      counting = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return counting != null;
  }

  @Override
  public int getPhase() {
    // Stopped with the relay, before the connection pool closes.
    return Integer.MAX_VALUE - 200;
  }
}
