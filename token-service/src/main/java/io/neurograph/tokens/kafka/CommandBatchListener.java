package io.neurograph.tokens.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Handles the command records of one poll, many at once. Records of one key run one after another in
 * offset order, and a key stops at its first failed record; records of different keys run concurrently,
 * at most {@code max-in-flight} at a time. Each record is parsed, dispatched and answered without
 * blocking; the consumer thread waits for the whole poll (it is not an event loop), so the container
 * commits the poll's offsets only after every reply was acknowledged.
 *
 * <p>A failure is reported as a {@link BatchListenerFailedException} for the lowest failed index of the
 * poll, caused by that record's own failure. The error handler commits the records before it, applies its
 * back-off, retry classification and recoverer to that record, and redelivers it with every record after
 * it. Records before the lowest failed index all succeeded: a key stops only at a failure, which has a
 * higher index. Records after it that already succeeded are answered from the command dedupe, so nothing
 * is applied or published twice; only their reply is sent again, which the gateway drops.
 *
 * <p>Each record is handled in a child span of its {@code traceparent}; the reply and the events carry the
 * child's {@code traceparent} (same trace id). The span starts on the consumer thread, where no other
 * record's span is current, and travels in the Reactor context of its record's pipeline, so every log line
 * written meanwhile carries the trace id (Reactor's automatic context propagation takes the span onto the
 * database and Redis threads).
 */
final class CommandBatchListener implements BatchMessageListener<String, byte[]> {

  private static final Logger log = LoggerFactory.getLogger(CommandBatchListener.class);

  private final RequestDispatcher dispatcher;
  private final ReplyPublisher replies;
  private final Duration processingTimeout;
  private final int maxInFlight;
  private final Duration pollTimeout;
  private final RecordTracing tracing;
  private final RequestMetrics metrics;

  CommandBatchListener(RequestDispatcher dispatcher, ReplyPublisher replies, CommandListenerProperties properties,
      RecordTracing tracing, RequestMetrics metrics) {
    this.dispatcher = dispatcher;
    this.replies = replies;
    this.processingTimeout = properties.processingTimeout();
    this.maxInFlight = properties.maxInFlight();
    // Every record ends within processing timeout + reply timeout, and the poll's first record starts at
    // once, so each poll gets at least that far. With the default timeouts the wait stays well below Kafka's
    // max.poll.interval.ms (5 min), past which the consumer would lose its partitions mid-poll.
    this.pollTimeout = properties.processingTimeout().plus(properties.replyTimeout()).multipliedBy(2);
    this.tracing = tracing;
    this.metrics = metrics;
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
    List<Slot> slots = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      slots.add(prepare(i, records.get(i)));
    }
    RuntimeException stoppedWaiting = null;
    try {
      Flux.fromIterable(byKey(slots))
          .flatMap(this::oneAfterAnother, maxInFlight)
          .then()
          .block(pollTimeout);
    } catch (RuntimeException e) {
      // block() has cancelled what still ran; those records count as failed below and are redelivered.
      stoppedWaiting = e;
      log.warn("Stopped waiting for a poll of {} command records: {}", records.size(), e.toString());
    } finally {
      slots.forEach(Slot::abandonIfNeverRun);
    }
    for (Slot slot : slots) {
      if (!slot.succeeded()) {
        throw failure(slot, stoppedWaiting);
      }
    }
  }

  /** The most records that were in flight at once since the last call, for tests. */
  int takePeakInFlight() {
    return metrics.takePeakInFlight();
  }

  private Slot prepare(int index, ConsumerRecord<String, byte[]> record) {
    CommandMessage command;
    try {
      command = CommandRecords.parse(record.value());
    } catch (PoisonRecordException e) {
      return Slot.poison(index, record.key(), e);
    }
    String type = metrics.typeTag(command.type());
    long started = System.nanoTime();
    Observation observation = tracing.start(record, type);
    String traceparent;
    try (Observation.Scope scope = observation.openScope()) {
      // Only a traced command gets a traceparent on what it causes, as before tracing ran here.
      traceparent = CommandRecords.traceparent(record) == null ? null : tracing.currentTraceparent();
    }
    return new Slot(index, record.key(), command, type, started, observation, traceparent, null);
  }

  private static Collection<List<Slot>> byKey(List<Slot> slots) {
    // In order of first appearance, so the poll's first record starts at once. A HashMap takes the null
    // key: all keyless records form one group.
    Map<String, List<Slot>> groups = new LinkedHashMap<>();
    for (Slot slot : slots) {
      groups.computeIfAbsent(slot.key, key -> new ArrayList<>()).add(slot);
    }
    return groups.values();
  }

  private Mono<Void> oneAfterAnother(List<Slot> group) {
    // concatMap stops at the first error: the key's later records wait for the redelivery.
    return Flux.fromIterable(group).concatMap(this::process).then().onErrorComplete();
  }

  private Mono<Void> process(Slot slot) {
    if (slot.poison != null) {
      slot.failure = slot.poison;
      return Mono.error(slot.poison);
    }
    CommandMessage command = slot.command;
    Observation observation = slot.observation;
    return Mono.defer(() -> dispatcher.dispatch(new Request(command, slot.traceparent)))
        .timeout(processingTimeout)
        .switchIfEmpty(Mono.error(() ->
            new IllegalStateException("handler of " + command.type() + " completed without a reply")))
        .flatMap(reply -> replies.sendAsync(command, reply, slot.traceparent).thenReturn(reply))
        .doOnSubscribe(subscription -> slot.begin(metrics))
        .doOnNext(reply -> {
          slot.end(metrics);
          inScope(observation, () -> metrics.handled(command, slot.type, reply, slot.elapsedNanos()));
          slot.succeeded = true;
        })
        .doOnError(e -> {
          slot.end(metrics);
          observation.error(e);
          inScope(observation, () -> {
            metrics.failed(command, slot.type, slot.elapsedNanos());
            log.debug("Command {} failed; later commands of its key wait for the redelivery",
                command.commandId(), e);
          });
          slot.failure = e;
        })
        .doOnCancel(() -> slot.end(metrics))
        .doFinally(signal -> observation.stop())
        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, observation))
        .then();
  }

  private static void inScope(Observation observation, Runnable action) {
    // The completing thread (a scheduler thread, say) need not have the span: make it current here.
    try (Observation.Scope scope = observation.openScope()) {
      action.run();
    }
  }

  private static BatchListenerFailedException failure(Slot slot, RuntimeException stoppedWaiting) {
    Throwable cause = slot.failure;
    if (cause == null) {
      // Cancelled or never started: nothing is known about the record itself, so retry it like an outage.
      TimeoutException unfinished = new TimeoutException("not finished when the listener stopped waiting");
      unfinished.initCause(stoppedWaiting);
      cause = unfinished;
    }
    String message = String.valueOf(cause.getMessage());
    return Failures.isTransient(cause)
        ? new TransientRecordFailure(message, cause, slot.index)
        : new RecordFailure(message, cause, slot.index);
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

  /** One record of the poll: what the consumer thread prepared, then how its processing ended. */
  private static final class Slot {

    final int index;
    final String key;
    final CommandMessage command;
    final String type;
    final long started;
    final Observation observation;
    final String traceparent;
    final PoisonRecordException poison;
    private final AtomicBoolean began = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile boolean succeeded;
    volatile Throwable failure;

    Slot(int index, String key, CommandMessage command, String type, long started, Observation observation,
        String traceparent, PoisonRecordException poison) {
      this.index = index;
      this.key = key;
      this.command = command;
      this.type = type;
      this.started = started;
      this.observation = observation;
      this.traceparent = traceparent;
      this.poison = poison;
    }

    static Slot poison(int index, String key, PoisonRecordException poison) {
      return new Slot(index, key, null, null, 0, null, null, poison);
    }

    boolean succeeded() {
      return succeeded;
    }

    long elapsedNanos() {
      return System.nanoTime() - started;
    }

    void begin(RequestMetrics metrics) {
      if (began.compareAndSet(false, true)) {
        metrics.began();
      }
    }

    // Before the signal travels on: the key's next record must not count while this one still does.
    void end(RequestMetrics metrics) {
      if (began.get() && ended.compareAndSet(false, true)) {
        metrics.ended();
      }
    }

    void abandonIfNeverRun() {
      // Its key stopped at an earlier failure, or the wait ended first: the span ends without work.
      if (observation != null && !began.get()) {
        observation.stop();
      }
    }
  }
}
