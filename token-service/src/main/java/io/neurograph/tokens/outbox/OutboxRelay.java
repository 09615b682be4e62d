package io.neurograph.tokens.outbox;

import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.tokens.cache.TokenCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes outbox rows to the event topic, at least once and in id order, then deletes them.
 *
 * <p>One relay publishes at a time across all instances: each batch runs in a transaction that first
 * takes the transaction-scoped advisory lock {@link #ADVISORY_LOCK_KEY} (non-blocking; an instance that
 * does not get it skips the round), then selects the oldest rows {@code FOR UPDATE}, sends them in id
 * order, waits for every acknowledgement and deletes them before committing. A failure rolls the batch
 * back; it is published again later with the same event ids (consumers drop duplicates by
 * {@code event_id}). Per-token order holds because every transaction that writes a token's events holds
 * that token's row lock, so a later event of a token always gets a larger id and commits later.
 *
 * <p>The relay loop is a Reactor pipeline owned by this {@link SmartLifecycle}: started with the context,
 * disposed on shutdown, after the command listener stopped (lower phase). Rounds never overlap within
 * an instance. It is woken by {@link #wakeUp()} after each command commit and by a timer every
 * {@code neurograph.tokens.outbox.poll-interval} (rows left by a crash or a failed round).
 */
@Component
class OutboxRelay implements SmartLifecycle {

  /** Key of the PostgreSQL advisory lock that makes one relay publish at a time ("NGTOKOUT"). */
  static final long ADVISORY_LOCK_KEY = 0x4E47544F4B4F5554L;

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int LOCKED_ELSEWHERE = -1;
  private static final int MAX_LOCK_RETRIES = 20;
  private static final Duration LOCK_RETRY_DELAY = Duration.ofMillis(25);
  // Identity marks "another instance holds the lock", as opposed to an empty outbox.
  private static final List<OutboxRow> NOT_LOCKED = new ArrayList<>(0);
  private static final byte[] APPLICATION_JSON = "application/json".getBytes(StandardCharsets.UTF_8);
  // Far more than a waiter's rows can fall behind between commit and listening; beyond, the table poll finds them.
  private static final int RECENTLY_PUBLISHED = 10_000;

  private final DatabaseClient db;
  private final TransactionalOperator transactions;
  private final KafkaTemplate<String, byte[]> kafka;
  private final TokenCache cache;
  private final OutboxProperties properties;
  private final OutboxMetrics metrics;
  // Wake-ups are coalesced: a signal while a round runs is dropped or folded into one pending round.
  private final Sinks.Many<Long> wakeUps = Sinks.many().multicast().directBestEffort();
  // Row ids of each batch this instance published, after its commit; reply waiters listen here.
  private final Sinks.Many<List<Long>> publishedBatches = Sinks.many().multicast().directBestEffort();
  // The same ids, kept a while: a waiter starts listening only after its cache invalidation, and with
  // many commands in flight another command's wake-up often runs the round that publishes its rows first.
  private final Set<Long> recentlyPublished = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Long> recentOrder = new ArrayDeque<>();
  private final AtomicBoolean failing = new AtomicBoolean(false);
  private Disposable loop;

  OutboxRelay(
      DatabaseClient db,
      TransactionalOperator transactions,
      KafkaTemplate<String, byte[]> kafka,
      TokenCache cache,
      OutboxProperties properties,
      OutboxMetrics metrics) {
    this.db = db;
    this.transactions = transactions;
    this.kafka = kafka;
    this.cache = cache;
    this.properties = properties;
    this.metrics = metrics;
  }

  /** Asks for a round now; never blocks (a lost signal is covered by the poll timer). */
  void wakeUp() {
    wakeUps.tryEmitNext(0L);
  }

  /**
   * Completes when every given row was published (by this instance's relay or, seen in the table, by
   * another's), or empty after {@link OutboxProperties#replyWait()}: the rows then stay for a later round.
   */
  Mono<Void> awaitPublished(List<Long> rowIds) {
    if (rowIds.isEmpty()) {
      return Mono.empty();
    }
    Set<Long> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    waiting.addAll(rowIds);
    // Subscribed before the wake-up below, so this instance's round cannot publish unseen; rounds that
    // published before the subscription are in the recent ids, looked at right after subscribing.
    Mono<Void> publishedHere = Flux.merge(
            publishedBatches.asFlux(),
            Mono.fromSupplier(() -> rowIds.stream().filter(recentlyPublished::contains).toList()))
        .filter(batch -> {
          batch.forEach(waiting::remove);
          return waiting.isEmpty();
        })
        .next()
        .then();
    Long[] ids = rowIds.toArray(Long[]::new);
    // Another instance's relay may hold the lock and publish these rows: the table tells.
    Mono<Void> goneFromTable = Mono.fromRunnable(this::wakeUp)
        .thenMany(Flux.interval(properties.pollInterval(), properties.pollInterval()))
        .concatMap(tick -> db.sql("SELECT count(*) AS left FROM outbox WHERE id = ANY(:ids)")
            .bind("ids", ids)
            .map(row -> row.get("left", Long.class))
            .one())
        .filter(left -> left == 0)
        .next()
        .then();
    return Mono.firstWithSignal(publishedHere, goneFromTable)
        .timeout(properties.replyWait(), Mono.defer(() -> {
          // Policy: the reply goes out anyway; the events follow as soon as the relay gets through.
          log.warn("Events of outbox rows {} not published within {}; replying before them", rowIds,
              properties.replyWait());
          return Mono.empty();
        }))
        // Policy: a failed table check must not fail a committed command; the timeout above bounds the wait.
        .onErrorResume(e -> {
          log.debug("Waiting for outbox rows {} failed", rowIds, e);
          return Mono.empty();
        });
  }

  @Override
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = Flux.merge(wakeUps.asFlux(), Flux.interval(properties.pollInterval()))
        .onBackpressureLatest()
        .concatMap(tick -> drain(), 1)
        .subscribe();
    log.info("Outbox relay started (poll every {}, batch {})", properties.pollInterval(), properties.batchSize());
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.dispose();
      loop = null;
      log.info("Outbox relay stopped; unpublished rows stay in the outbox for the next start");
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  @Override
  public int getPhase() {
    // Below the Kafka listener containers' phase: started before them, stopped after them.
    return Integer.MAX_VALUE - 200;
  }

  /**
   * Publishes batches until one comes back short. While another instance holds the lock it tries again
   * shortly, a bounded number of times, so rows committed here are not left for the poll timer.
   */
  Mono<Void> drain() {
    AtomicInteger lockRetries = new AtomicInteger();
    return publishBatch()
        .expand(published -> {
          if (published >= properties.batchSize()) {
            return publishBatch();
          }
          if (published == LOCKED_ELSEWHERE && lockRetries.incrementAndGet() <= MAX_LOCK_RETRIES) {
            return Mono.delay(LOCK_RETRY_DELAY).then(publishBatch());
          }
          return Mono.empty();
        })
        .then()
        .doOnSuccess(done -> {
          if (failing.compareAndSet(true, false)) {
            log.info("Outbox relay publishes again");
          }
        })
        // Policy: a failed round leaves its rows in the outbox (rolled back) and the next round, at the
        // latest one poll interval later, retries them; the loop itself must survive Kafka or DB outages.
        .onErrorResume(e -> {
          metrics.failed();
          if (failing.compareAndSet(false, true)) {
            log.warn("Outbox relay round failed, retrying every {}: {}", properties.pollInterval(), e.toString());
          } else {
            log.debug("Outbox relay round failed again", e);
          }
          return Mono.empty();
        });
  }

  /** One locked batch; emits the number of rows published, or {@link #LOCKED_ELSEWHERE}. */
  private Mono<Integer> publishBatch() {
    Mono<List<OutboxRow>> batch = db.sql("SELECT pg_try_advisory_xact_lock(:key) AS locked")
        .bind("key", ADVISORY_LOCK_KEY)
        .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
        .one()
        .flatMap(locked -> locked ? lockOldest() : Mono.just(NOT_LOCKED))
        .flatMap(rows -> rows.isEmpty() ? Mono.just(rows) : send(rows).then(delete(rows)).thenReturn(rows));
    return transactions.transactional(batch)
        .flatMap(rows -> {
          if (rows == NOT_LOCKED) {
            return Mono.just(LOCKED_ELSEWHERE);
          }
          if (rows.isEmpty()) {
            return Mono.just(0);
          }
          metrics.published(rows.size());
          List<Long> ids = rows.stream().map(OutboxRow::id).toList();
          remember(ids);
          publishedBatches.tryEmitNext(ids);
          return cache.invalidate(subjects(rows)).thenReturn(rows.size());
        });
  }

  private void remember(List<Long> ids) {
    synchronized (recentOrder) {
      for (Long id : ids) {
        if (recentlyPublished.add(id)) {
          recentOrder.add(id);
        }
      }
      while (recentOrder.size() > RECENTLY_PUBLISHED) {
        recentlyPublished.remove(recentOrder.poll());
      }
    }
  }

  private Mono<List<OutboxRow>> lockOldest() {
    return db.sql("SELECT id, event_id, topic, message_key, event_type, value, traceparent, occurred_at FROM outbox"
            + " ORDER BY id LIMIT :limit FOR UPDATE")
        .bind("limit", properties.batchSize())
        .map(row -> new OutboxRow(
            row.get("id", Long.class),
            row.get("event_id", UUID.class),
            row.get("topic", String.class),
            row.get("message_key", String.class),
            row.get("event_type", String.class),
            row.get("value", String.class),
            row.get("traceparent", String.class),
            row.get("occurred_at", OffsetDateTime.class).toInstant()))
        .all()
        .collectList();
  }

  private Mono<Void> send(List<OutboxRow> rows) {
    // send() may block on metadata while Kafka is unreachable: run it where blocking is allowed, never on
    // a database event loop. Records are handed to the producer in id order, which keeps them in order per
    // partition (idempotent producer).
    return Mono.fromCallable(() -> {
          List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
          for (OutboxRow row : rows) {
            acks.add(kafka.send(record(row)));
          }
          return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
        })
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(Mono::fromFuture)
        .timeout(properties.publishTimeout())
        .then();
  }

  private Mono<Long> delete(List<OutboxRow> rows) {
    // Exact ids, not a range: a row with a smaller id may still commit later and must not be lost.
    Long[] ids = rows.stream().map(OutboxRow::id).toArray(Long[]::new);
    return db.sql("DELETE FROM outbox WHERE id = ANY(:ids)").bind("ids", ids).fetch().rowsUpdated();
  }

  static ProducerRecord<String, byte[]> record(OutboxRow row) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaHeaderNames.CE_ID, utf8(row.eventId().toString()));
    headers.add(KafkaHeaderNames.CE_TYPE, utf8(row.eventType()));
    headers.add(KafkaHeaderNames.CE_SOURCE, utf8(OutboxWriter.SOURCE));
    headers.add(KafkaHeaderNames.CE_SPEC_VERSION, utf8(KafkaHeaderNames.CE_SPEC_VERSION_VALUE));
    headers.add(KafkaHeaderNames.CE_TIME, utf8(row.occurredAt().toString()));
    headers.add(KafkaHeaderNames.CE_SUBJECT, utf8(row.messageKey()));
    headers.add(KafkaHeaderNames.CONTENT_TYPE, APPLICATION_JSON);
    if (row.traceparent() != null) {
      headers.add(KafkaHeaderNames.TRACEPARENT, utf8(row.traceparent()));
    }
    return new ProducerRecord<>(row.topic(), null, row.messageKey(), utf8(row.value()), headers);
  }

  private static Set<TokenId> subjects(List<OutboxRow> rows) {
    Set<TokenId> ids = new LinkedHashSet<>();
    for (OutboxRow row : rows) {
      ids.add(TokenId.of(row.messageKey()));
    }
    return ids;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One outbox row as the relay reads it. */
  record OutboxRow(
      long id, UUID eventId, String topic, String messageKey, String eventType, String value, String traceparent,
      Instant occurredAt) {}
}
