package io.neurograph.graph.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Handles the command records of one poll: records with the same key one after another in offset order,
 * different keys concurrently, at most {@code maxInFlight} records at a time. Each record is parsed,
 * dispatched, and its reply sent; the listener returns once every record finished, so the container
 * commits the poll's offsets only after all its replies were acknowledged.
 *
 * <p>A key stops at its first failed record (its later records must not overtake it). When any record
 * failed, the listener throws a {@link BatchListenerFailedException} naming the lowest failed index:
 * every record before it has succeeded, so the error handler commits their offsets, and then treats that
 * record like a failed record of a record listener (back-off, not-retryable classification, recoverer),
 * redelivering the records after it. Those that had already succeeded are answered again from their
 * dedupe record.
 *
 * <p>The consumer thread waits for the whole batch (a consumer thread is not an event loop); the work
 * itself runs on the database, Redis and Kafka client threads and never blocks them. Each record is
 * handled in a child span of its {@code traceparent}; the observation is the current one of the record's
 * reactive chain, so log lines written on those threads carry its trace id.
 */
final class CommandBatchListener implements BatchMessageListener<String, byte[]> {

  /** Marks a record of the batch that was processed and answered. */
  private static final Object SUCCEEDED = new Object();

  private final RequestDispatcher dispatcher;
  private final ReplyPublisher replies;
  private final Duration processingTimeout;
  private final int maxInFlight;
  private final Duration batchTimeout;
  private final RecordTracing tracing;
  private final RequestMetrics metrics;
  private final AtomicInteger peakInFlight = new AtomicInteger();

  /**
   * A listener of the command topic.
   *
   * @param batchTimeout how long one batch may take at most; then its unfinished records fail transiently
   */
  CommandBatchListener(RequestDispatcher dispatcher, ReplyPublisher replies, Duration processingTimeout,
      int maxInFlight, Duration batchTimeout, RecordTracing tracing, RequestMetrics metrics) {
    this.dispatcher = dispatcher;
    this.replies = replies;
    this.processingTimeout = processingTimeout;
    this.maxInFlight = maxInFlight;
    this.batchTimeout = batchTimeout;
    this.tracing = tracing;
    this.metrics = metrics;
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
    if (records.isEmpty()) {
      return;
    }
    Batch batch = new Batch(records.size());
    try {
      Flux.fromIterable(groupByKey(records))
          .flatMap(group -> inKeyOrder(group, batch), maxInFlight)
          .then()
          // Every record is bounded by its own timeouts; this bound only guards the poll loop.
          .timeout(batchTimeout, Mono.error(() -> new TimeoutException("the batch did not finish within "
              + batchTimeout)))
          .block();
    } catch (RuntimeException e) {
      // Records keep their own failures, so this is the bound (unfinished records are cancelled) or a
      // fault of this listener: the records not finished count as failed with it.
      batch.failUnfinished(Exceptions.unwrap(e));
    }
    batch.firstFailure().ifPresent(failure -> {
      String message = String.valueOf(failure.cause().getMessage());
      throw Failures.isTransient(failure.cause())
          ? new TransientRecordFailure(message, failure.cause(), failure.index())
          : new RecordFailure(message, failure.cause(), failure.index());
    });
  }

  /**
   * The lowest failed record of a poll failed for a transient reason. The error handler restarts a record's
   * back-off only when the class of its failure changes, and sees this exception rather than its cause: one
   * class per classification lets a record that failed transiently and then for a reason of its own (or the
   * other way round) get the other back-off, as it did when the listener threw the cause itself.
   */
  static final class TransientRecordFailure extends BatchListenerFailedException {

    private static final long serialVersionUID = 1L;

    TransientRecordFailure(String message, Throwable cause, int index) {
      super(message, cause, index);
    }
  }

  /** The lowest failed record of a poll failed for a reason of its own (see {@link TransientRecordFailure}). */
  static final class RecordFailure extends BatchListenerFailedException {

    private static final long serialVersionUID = 1L;

    RecordFailure(String message, Throwable cause, int index) {
      super(message, cause, index);
    }
  }

  /** The most records one batch had in flight at once since the last call (then starts again from 0). */
  int takePeakInFlight() {
    return peakInFlight.getAndSet(0);
  }

  /** The records by key, each key's in offset order, keys in order of first appearance; null keys form one group. */
  static List<List<Indexed>> groupByKey(List<ConsumerRecord<String, byte[]>> records) {
    Map<Optional<String>, List<Indexed>> groups = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> record = records.get(i);
      groups.computeIfAbsent(Optional.ofNullable(record.key()), key -> new ArrayList<>())
          .add(new Indexed(i, record));
    }
    return new ArrayList<>(groups.values());
  }

  /** One key's records, strictly one after another; stops at the first failure. */
  private Flux<Void> inKeyOrder(List<Indexed> group, Batch batch) {
    return Flux.fromIterable(group)
        .concatMap(item -> counted(handle(item.record()), batch)
            .doOnSuccess(done -> batch.succeeded(item.index()))
            .doOnError(e -> batch.failed(item.index(), e)))
        // The failure is kept in the batch; the other keys go on.
        .onErrorComplete();
  }

  /** Counts a record as in flight until it ended (before its end lets the next record start). */
  private Mono<Void> counted(Mono<Void> handling, Batch batch) {
    return Mono.defer(() -> {
      metrics.started();
      peakInFlight.accumulateAndGet(batch.started(), Math::max);
      AtomicBoolean ended = new AtomicBoolean();
      Runnable end = () -> {
        if (ended.compareAndSet(false, true)) {
          batch.ended();
          metrics.finished();
        }
      };
      return handling.doOnTerminate(end).doOnCancel(end);
    });
  }

  private Mono<Void> handle(ConsumerRecord<String, byte[]> record) {
    return Mono.defer(() -> {
      long started = System.nanoTime();
      CommandMessage command = CommandRecords.parse(record.value());
      String type = metrics.typeTag(command.type());
      Observation observation = tracing.start(record, type);
      // Only a traced command gets a traceparent on what it causes, as before tracing ran here.
      String traceparent = CommandRecords.traceparent(record) == null
          ? null
          : observation.scoped(tracing::currentTraceparent);
      return Mono.defer(() -> observation.scoped(() -> dispatcher.dispatch(new Request(command, traceparent))))
          .timeout(processingTimeout)
          .switchIfEmpty(Mono.error(() ->
              new IllegalStateException("handler of " + command.type() + " completed without a reply")))
          .flatMap(reply -> replies.sendAsync(command, reply, traceparent).thenReturn(reply))
          .doOnNext(reply -> observation.scoped(
              () -> metrics.handled(command, type, reply, System.nanoTime() - started)))
          .doOnError(e -> {
            observation.error(e);
            observation.scoped(() -> metrics.failed(command, type, System.nanoTime() - started));
          })
          .doFinally(signal -> observation.stop())
          .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, observation))
          .then();
    });
  }

  /**
   * A record and its index in the batch.
   *
   * @param index position in the list the container passed
   * @param record the record
   */
  record Indexed(int index, ConsumerRecord<String, byte[]> record) {}

  /** A failed record of the batch and why. */
  private record Failure(int index, Throwable cause) {}

  /** What became of each record of one batch; written from the threads that finish the records. */
  private static final class Batch {

    /** Per index: null while unfinished or skipped, {@link #SUCCEEDED}, or the failure. */
    private final AtomicReferenceArray<Object> outcomes;
    private final AtomicInteger running = new AtomicInteger();
    private volatile Throwable unfinished;

    Batch(int size) {
      this.outcomes = new AtomicReferenceArray<>(size);
    }

    int started() {
      return running.incrementAndGet();
    }

    void ended() {
      running.decrementAndGet();
    }

    void succeeded(int index) {
      outcomes.compareAndSet(index, null, SUCCEEDED);
    }

    void failed(int index, Throwable cause) {
      outcomes.compareAndSet(index, null, cause);
    }

    void failUnfinished(Throwable cause) {
      unfinished = cause;
    }

    /**
     * The lowest index that did not succeed. A key stops at its first failure, so its skipped records
     * come after that failure and every record below the lowest failure has succeeded.
     */
    Optional<Failure> firstFailure() {
      for (int i = 0; i < outcomes.length(); i++) {
        Object outcome = outcomes.get(i);
        if (outcome == SUCCEEDED) {
          continue;
        }
        if (outcome instanceof Throwable cause) {
          return Optional.of(new Failure(i, cause));
        }
        Throwable cause = unfinished;
        return Optional.of(new Failure(i, cause != null ? cause
            : new IllegalStateException("command record was neither processed nor failed")));
      }
      return Optional.empty();
    }
  }
}
