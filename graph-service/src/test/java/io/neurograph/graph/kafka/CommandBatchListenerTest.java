package io.neurograph.graph.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.TestDispatchers;
import io.neurograph.graph.requests.RequestHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.mock.MockProducerFactory;
import reactor.core.publisher.Mono;

/**
 * The batch listener's own rules, without a broker: grouping by key, the stop at a key's first failure, the
 * lowest failed index, the in-flight bound. Requests whose id starts with {@code fail} fail in the handler;
 * {@code slow} ones take a while.
 */
class CommandBatchListenerTest {

  private final List<String> dispatched = Collections.synchronizedList(new ArrayList<>());
  // KafkaTemplate closes a producer after each send unless its factory keeps one: this one stays open.
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public void close(Duration timeout) {}
      };

  @Test
  void recordsAreGroupedByKeyInOffsetOrderAndNullKeysFormOneGroup() {
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, "a", "x"), record(1, null, "x"), record(2, "b", "x"), record(3, "a", "x"), record(4, null, "x"));

    assertThat(CommandBatchListener.groupByKey(records))
        .extracting(group -> group.stream().map(CommandBatchListener.Indexed::index).toList())
        .containsExactly(List.of(0, 3), List.of(1, 4), List.of(2));
  }

  @Test
  void everyRecordIsAnsweredAndNothingIsThrownWhenAllSucceed() {
    listener(4).onMessage(List.of(record(0, "a", "r0"), record(1, "b", "r1"), record(2, "a", "r2")));

    assertThat(dispatched).containsExactlyInAnyOrder("r0", "r1", "r2");
    assertThat(dispatched.indexOf("r0")).isLessThan(dispatched.indexOf("r2"));
    assertThat(producer.history()).hasSize(3);
  }

  @Test
  void aKeyStopsAtItsFirstFailureAndTheLowestFailedIndexIsReportedWithItsCause() {
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, "a", "r0"),
        record(1, "b", "r1"),
        record(2, "a", "fail-2"),
        poison(3, "c"),
        record(4, "a", "r4"),
        record(5, null, "r5"),
        record(6, "c", "r6"));

    BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
        () -> listener(8).onMessage(records));

    assertThat(failure.getIndex()).isEqualTo(2);
    assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom fail-2");
    assertThat(dispatched).as("a's later record waits for the redelivery; the other keys go on")
        .containsExactlyInAnyOrder("r0", "r1", "fail-2", "r5");
    assertThat(producer.history()).as("one reply per answered record").hasSize(3);
  }

  @Test
  void aPoisonRecordIsTheFailureOfThatRecordOnly() {
    List<ConsumerRecord<String, byte[]>> records = List.of(record(0, "a", "r0"), poison(1, "b"), record(2, "c", "r2"));

    assertThatThrownBy(() -> listener(8).onMessage(records))
        .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> assertThat(e.getIndex()).isEqualTo(1))
        .cause().isInstanceOf(PoisonRecordException.class);
    assertThat(dispatched).containsExactlyInAnyOrder("r0", "r2");
  }

  @Test
  void theFailureClassFollowsTheCausesClassificationSoTheErrorHandlerSwitchesBackOff() {
    // The error handler restarts a record's back-off only when the exception class changes; it sees the
    // wrapper, so a transient cause and a cause of the record's own need different wrapper classes.
    assertThatThrownBy(() -> listener(8).onMessage(List.of(record(0, "a", "fail-0"))))
        .isInstanceOf(CommandBatchListener.RecordFailure.class);
    assertThatThrownBy(() -> listener(8).onMessage(List.of(record(0, "a", "late-0"))))
        .isInstanceOf(CommandBatchListener.TransientRecordFailure.class)
        .cause().isInstanceOf(TimeoutException.class);
  }

  @Test
  void atMostMaxInFlightRecordsRunAtOnce() {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      records.add(record(i, "k" + i, "slow-" + i));
    }
    CommandBatchListener listener = listener(3);

    listener.onMessage(records);

    assertThat(dispatched).hasSize(9);
    assertThat(listener.takePeakInFlight()).isBetween(2, 3);
    assertThat(listener.takePeakInFlight()).as("taken").isZero();
  }

  private CommandBatchListener listener(int maxInFlight) {
    List<RequestHandler<?>> handlers = new ArrayList<>();
    for (RequestType<?> type : GraphMessages.REQUESTS) {
      handlers.add(handler(type));
    }
    var replies = new ReplyPublisher(
        new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)), new Topics("unit"), Duration.ofSeconds(5));
    var metrics = new RequestMetrics(new SimpleMeterRegistry(), type -> true);
    return new CommandBatchListener(TestDispatchers.of(handlers), replies, Duration.ofSeconds(5), maxInFlight,
        Duration.ofSeconds(30), new RecordTracing(Tracer.NOOP, Propagator.NOOP), metrics);
  }

  private <P> RequestHandler<P> handler(RequestType<P> type) {
    return new RequestHandler<>() {
      @Override
      public RequestType<P> type() {
        return type;
      }

      @Override
      public Mono<Reply> handle(P payload, Request request) {
        String id = request.command().requestId();
        dispatched.add(id);
        if (id.startsWith("fail")) {
          return Mono.error(new IllegalStateException("boom " + id));
        }
        if (id.startsWith("late")) {
          return Mono.error(new TimeoutException("database too slow for " + id));
        }
        Mono<Reply> reply = Mono.just(Reply.of("graph.stats", Json.object()));
        return id.startsWith("slow") ? reply.delayElement(Duration.ofMillis(200)) : reply;
      }
    };
  }

  private static ConsumerRecord<String, byte[]> record(long offset, String key, String requestId) {
    CommandMessage command = new CommandMessage("client/" + requestId, "graph.stats", requestId, "client", null,
        "gw", "rk", Instant.now(), Json.object());
    return new ConsumerRecord<>("unit.graph.commands", 0, offset, key, Json.writeBytes(command));
  }

  private static ConsumerRecord<String, byte[]> poison(long offset, String key) {
    return new ConsumerRecord<>("unit.graph.commands", 0, offset, key, "not json".getBytes(StandardCharsets.UTF_8));
  }
}
