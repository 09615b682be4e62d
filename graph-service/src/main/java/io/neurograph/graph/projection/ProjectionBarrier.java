package io.neurograph.graph.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Waits until the projection applied every token event already acknowledged by Kafka for some tokens.
 *
 * <p>token-service replies to {@code token.create} only after Kafka acknowledged the token's event. So
 * when a {@code graph.connect} names a token the projection does not know (yet), its event, if any, is
 * below the current end offset of the token's partition. The barrier (a) finds that partition with the
 * producer's default partitioner, (b) reads its end offset, and (c) polls the projection's position of
 * the partition until it reaches that end offset. After that, the projection's answer is final for
 * every event published before the connect was sent: a token still missing does not exist.
 *
 * <p>Nothing here blocks: the end offset comes from Kafka's asynchronous admin client, the polls are
 * timer-driven database reads. The whole wait is bounded by {@code timeout}. Many commands may wait at
 * once (the command listener runs several concurrently): they share the position reads, at most one per
 * partition and poll interval, so waiting commands cannot crowd the projection out of the connection pool
 * it needs to catch up.
 *
 * <p>Every wait is counted in the meter {@value #METER}, tagged {@code outcome=caught_up} or
 * {@code outcome=timed_out}; the partitions found behind at the first look in {@value #BEHIND_METER}.
 */
public final class ProjectionBarrier {

  /** Name of the counter of waits. */
  public static final String METER = "graph.projection.catch_up";
  /** Name of the counter of partitions whose projection was behind Kafka when a wait began. */
  public static final String BEHIND_METER = "graph.projection.behind";

  private static final Logger log = LoggerFactory.getLogger(ProjectionBarrier.class);

  private final String topic;
  private final TokenEventLog eventLog;
  private final Positions positions;
  private final Duration timeout;
  private final Duration pollInterval;
  private final Counter caughtUp;
  private final Counter timedOut;
  private final Counter behind;
  private final Map<Integer, Mono<Long>> sharedPositions = new ConcurrentHashMap<>();

  ProjectionBarrier(
      String topic, TokenEventLog eventLog, Positions positions, Duration timeout, Duration pollInterval,
      MeterRegistry meters) {
    this.topic = topic;
    this.eventLog = eventLog;
    this.positions = positions;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
    this.caughtUp = counter(meters, "caught_up");
    this.timedOut = counter(meters, "timed_out");
    this.behind = Counter.builder(BEHIND_METER)
        .description("Token event partitions the projection had not caught up with when graph.connect asked")
        .register(meters);
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder(METER)
        .description("Waits of graph.connect for the token projection to apply every acknowledged token event")
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * Emits true once the projection applied every event published so far to the partitions of these
   * tokens, false when that did not happen within the timeout. An error means Kafka or the database
   * could not be asked.
   */
  public Mono<Boolean> awaitCaughtUp(Collection<TokenId> tokens) {
    return eventLog.partitionCount(topic)
        .flatMap(count -> Flux.fromIterable(tokens)
            .map(token -> TokenPartitions.partitionOf(token, count))
            .distinct()
            .flatMap(partition -> eventLog.endOffset(topic, partition)
                .flatMap(end -> reached(partition, end)))
            .then(Mono.just(true)))
        // No token event topic yet: no token was ever announced, nothing to wait for.
        .defaultIfEmpty(true)
        .doOnNext(done -> caughtUp.increment())
        .timeout(timeout, Mono.fromSupplier(() -> {
          timedOut.increment();
          log.warn("Token projection did not catch up with {} within {} for {}", topic, timeout, tokens);
          return false;
        }));
  }

  /** Completes once the projection's position of the partition is at least {@code end}. */
  private Mono<Long> reached(int partition, long end) {
    AtomicBoolean firstLook = new AtomicBoolean(true);
    return sharedPosition(partition)
        .doOnNext(position -> {
          if (firstLook.getAndSet(false) && position < end) {
            behind.increment();
          }
        })
        .filter(position -> position >= end)
        .repeatWhenEmpty(misses -> misses.concatMap(miss -> Mono.delay(pollInterval)))
        .doOnNext(position -> log.debug("Projection of {}-{} at {} >= {}", topic, partition, position, end));
  }

  /**
   * The partition's position, read at most once per poll interval for all waiters. A value up to one
   * interval old is as good as a fresh one: the position only grows, so one that reached an end offset
   * still has.
   */
  private Mono<Long> sharedPosition(int partition) {
    return sharedPositions.computeIfAbsent(partition, p -> Mono.defer(() -> positions.position(topic, p))
        .cache(position -> pollInterval, error -> Duration.ZERO, () -> Duration.ZERO));
  }

  /** The token event topic as Kafka sees it. */
  interface TokenEventLog {

    /** Partitions of the topic; empty when it does not exist. */
    Mono<Integer> partitionCount(String topic);

    /** The offset the next record of the partition will get (everything acknowledged is below it). */
    Mono<Long> endOffset(String topic, int partition);
  }

  /** How far the projection applied each partition. */
  interface Positions {

    /** The next offset to apply (0 when none was applied). */
    Mono<Long> position(String topic, int partition);
  }
}
