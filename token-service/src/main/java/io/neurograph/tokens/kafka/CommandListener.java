package io.neurograph.tokens.kafka;

import io.micrometer.observation.Observation;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestDispatcher;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * Handles one command record at a time per partition: parse, dispatch, send the reply, and only then
 * return so the container commits the offset. The listener blocks its consumer thread on the reactive
 * handler on purpose: per-partition order requires the next record of a key to wait for this one, and a
 * consumer thread is not an event loop. Any exception goes to the container's error handler.
 *
 * <p>Each record is handled in a child span of its {@code traceparent}; the reply and the events carry
 * the child's {@code traceparent} (same trace id), and every log line written meanwhile carries the trace
 * id (Reactor's automatic context propagation takes the span onto the database and Redis threads).
 */
final class CommandListener implements MessageListener<String, byte[]> {

  private final RequestDispatcher dispatcher;
  private final ReplyPublisher replies;
  private final Duration processingTimeout;
  private final RecordTracing tracing;
  private final RequestMetrics metrics;

  CommandListener(RequestDispatcher dispatcher, ReplyPublisher replies, Duration processingTimeout,
      RecordTracing tracing, RequestMetrics metrics) {
    this.dispatcher = dispatcher;
    this.replies = replies;
    this.processingTimeout = processingTimeout;
    this.tracing = tracing;
    this.metrics = metrics;
  }

  @Override
  public void onMessage(ConsumerRecord<String, byte[]> record) {
    CommandMessage command = CommandRecords.parse(record.value());
    String type = metrics.typeTag(command.type());
    long started = System.nanoTime();
    Observation observation = tracing.start(record, type);
    try (Observation.Scope scope = observation.openScope()) {
      handle(record, command, type, observation, started);
    } finally {
      observation.stop();
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record, CommandMessage command, String type,
      Observation observation, long started) {
    try {
      // Only a traced command gets a traceparent on what it causes, as before tracing ran here.
      String traceparent = CommandRecords.traceparent(record) == null ? null : tracing.currentTraceparent();
      Reply reply = dispatcher.dispatch(new Request(command, traceparent)).timeout(processingTimeout).block();
      if (reply == null) {
        throw new IllegalStateException("handler of " + command.type() + " completed without a reply");
      }
      replies.send(command, reply, traceparent);
      metrics.handled(command, type, reply, System.nanoTime() - started);
    } catch (RuntimeException e) {
      observation.error(e);
      metrics.failed(command, type, System.nanoTime() - started);
      throw e;
    }
  }
}
