package io.neurograph.graph.projection;

import io.micrometer.observation.Observation;
import io.neurograph.graph.kafka.RecordTracing;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * Applies one token event record at a time per partition, and only then returns so the container commits
 * the offset. Like the command listener it blocks its consumer thread on the reactive work on purpose:
 * the events of a token must be applied in order. Any exception goes to the container's error handler.
 */
final class TokenEventListener implements MessageListener<String, byte[]> {

  /** Name of the span of one applied token event. */
  static final String SPAN_NAME = "token-event";

  private final TokenProjection projection;
  private final Duration processingTimeout;
  private final RecordTracing tracing;

  TokenEventListener(TokenProjection projection, Duration processingTimeout, RecordTracing tracing) {
    this.projection = projection;
    this.processingTimeout = processingTimeout;
    this.tracing = tracing;
  }

  @Override
  public void onMessage(ConsumerRecord<String, byte[]> record) {
    // Continues the trace of the token command that caused the event, so the projection's log lines
    // carry that command's trace id.
    Observation observation = tracing.start(record, SPAN_NAME);
    try (Observation.Scope scope = observation.openScope()) {
      projection.apply(TokenEvents.parse(record)).timeout(processingTimeout).block();
    } catch (RuntimeException e) {
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }
}
