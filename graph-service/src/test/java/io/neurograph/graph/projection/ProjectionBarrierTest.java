package io.neurograph.graph.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ProjectionBarrierTest {

  private static final String TOPIC = "p.tokens.events";
  private static final int PARTITIONS = 3;

  private final Map<Integer, Long> ends = new ConcurrentHashMap<>();
  private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** A partition whose projection applies one record between two reads of its position, or -1. */
  private volatile int projecting = -1;

  private final ProjectionBarrier.TokenEventLog log = new ProjectionBarrier.TokenEventLog() {
    @Override
    public Mono<Integer> partitionCount(String topic) {
      assertThat(topic).isEqualTo(TOPIC);
      return Mono.just(PARTITIONS);
    }

    @Override
    public Mono<Long> endOffset(String topic, int partition) {
      return Mono.just(ends.getOrDefault(partition, 0L));
    }
  };

  @Test
  void aProjectionAlreadyAtTheEndPassesAtOnce() {
    TokenId token = TokenId.random();
    int partition = TokenPartitions.partitionOf(token, PARTITIONS);
    ends.put(partition, 5L);
    positions.put(partition, 5L);

    StepVerifier.create(barrier(Duration.ofSeconds(30)).awaitCaughtUp(List.of(token)))
        .expectNext(true)
        .verifyComplete();
    assertThat(reads).hasValue(1);
    assertThat(meters.counter(ProjectionBarrier.METER, "outcome", "caught_up").count()).isEqualTo(1);
    assertThat(meters.counter(ProjectionBarrier.BEHIND_METER).count()).isZero();
  }

  @Test
  void itWaitsUntilThePartitionOfTheTokenReachesItsEndOffset() {
    TokenId token = TokenId.random();
    int partition = TokenPartitions.partitionOf(token, PARTITIONS);
    ends.put(partition, 10L);
    positions.put(partition, 7L);
    // Another partition far behind does not matter.
    positions.put((partition + 1) % PARTITIONS, 0L);
    ends.put((partition + 1) % PARTITIONS, 1000L);

    projecting = partition;

    StepVerifier.create(barrier(Duration.ofSeconds(30)).awaitCaughtUp(List.of(token)))
        .expectNext(true)
        .verifyComplete();
    assertThat(reads).as("read at 7, 8, 9 and 10").hasValue(4);
    assertThat(positions.get(partition)).isEqualTo(10L);
    assertThat(meters.counter(ProjectionBarrier.BEHIND_METER).count()).as("behind once, not per look").isEqualTo(1);
  }

  @Test
  void manyWaitersShareThePositionReads() {
    TokenId token = TokenId.random();
    int partition = TokenPartitions.partitionOf(token, PARTITIONS);
    ends.put(partition, 3L);
    positions.put(partition, 0L);
    projecting = partition;
    int waiters = 50;
    var barrier = new ProjectionBarrier(TOPIC, log, this::position, Duration.ofSeconds(30), Duration.ofMillis(200),
        meters);

    StepVerifier.create(Flux.range(0, waiters).flatMap(i -> barrier.awaitCaughtUp(List.of(token)), waiters))
        .expectNextCount(waiters)
        .verifyComplete();
    assertThat(meters.counter(ProjectionBarrier.METER, "outcome", "caught_up").count()).isEqualTo(waiters);
    assertThat(reads.get()).as("one read per poll interval for all waiters, not one per waiter")
        .isLessThan(waiters);
  }

  @Test
  void bothEndsOfAConnectAreWaitedFor() {
    TokenId a = TokenId.random();
    TokenId b = tokenOnAnotherPartition(a);
    ends.put(TokenPartitions.partitionOf(a, PARTITIONS), 1L);
    ends.put(TokenPartitions.partitionOf(b, PARTITIONS), 1L);
    positions.put(TokenPartitions.partitionOf(a, PARTITIONS), 1L);

    StepVerifier.create(barrier(Duration.ofMillis(300)).awaitCaughtUp(List.of(a, b)))
        .expectNext(false)
        .verifyComplete();
  }

  @Test
  void aProjectionThatDoesNotCatchUpInTimeIsReported() {
    TokenId token = TokenId.random();
    ends.put(TokenPartitions.partitionOf(token, PARTITIONS), 3L);

    StepVerifier.create(barrier(Duration.ofMillis(200)).awaitCaughtUp(List.of(token)))
        .expectNext(false)
        .verifyComplete();
    assertThat(meters.counter(ProjectionBarrier.METER, "outcome", "timed_out").count()).isEqualTo(1);
    assertThat(meters.counter(ProjectionBarrier.METER, "outcome", "caught_up").count()).isZero();
  }

  @Test
  void withoutATokenEventTopicThereIsNothingToWaitFor() {
    ProjectionBarrier.TokenEventLog none = new ProjectionBarrier.TokenEventLog() {
      @Override
      public Mono<Integer> partitionCount(String topic) {
        return Mono.empty();
      }

      @Override
      public Mono<Long> endOffset(String topic, int partition) {
        throw new AssertionError("no topic, no offsets");
      }
    };
    var barrier =
        new ProjectionBarrier(TOPIC, none, this::position, Duration.ofSeconds(30), Duration.ofMillis(5), meters);

    StepVerifier.create(barrier.awaitCaughtUp(List.of(TokenId.random()))).expectNext(true).verifyComplete();
  }

  private ProjectionBarrier barrier(Duration timeout) {
    return new ProjectionBarrier(TOPIC, log, this::position, timeout, Duration.ofMillis(5), meters);
  }

  private Mono<Long> position(String topic, int partition) {
    assertThat(topic).isEqualTo(TOPIC);
    return Mono.fromSupplier(() -> {
      reads.incrementAndGet();
      long position = positions.getOrDefault(partition, 0L);
      if (partition == projecting && position < ends.getOrDefault(partition, 0L)) {
        positions.put(partition, position + 1);
      }
      return position;
    });
  }

  private static TokenId tokenOnAnotherPartition(TokenId other) {
    while (true) {
      TokenId token = TokenId.random();
      if (TokenPartitions.partitionOf(token, PARTITIONS) != TokenPartitions.partitionOf(other, PARTITIONS)) {
        return token;
      }
    }
  }
}
