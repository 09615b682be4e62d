package io.neurograph.graph.projection;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * Applies one token event record at a time per partition, and only then returns so the container commits
 * the offset. Like the command listener it blocks its consumer thread on the reactive work on purpose:
 * the events of a token must be applied in order. Any exception goes to the container's error handler.
 */
final class TokenEventListener implements MessageListener<String, byte[]> {

  private final TokenProjection projection;
  private final Duration processingTimeout;

  TokenEventListener(TokenProjection projection, Duration processingTimeout) {
    this.projection = projection;
    this.processingTimeout = processingTimeout;
  }

  @Override
  public void onMessage(ConsumerRecord<String, byte[]> record) {
    projection.apply(TokenEvents.parse(record)).timeout(processingTimeout).block();
  }
}
