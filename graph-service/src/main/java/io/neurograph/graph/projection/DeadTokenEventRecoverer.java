package io.neurograph.graph.projection;

import io.neurograph.graph.kafka.Failures;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Gives up on a token event record: publishes it to {@code <token events>-dlt} and moves the projection's
 * position past it, so the next record is applied and a connect waiting for the projection to reach the
 * partition's end is not held up by a record that will never be applied.
 */
final class DeadTokenEventRecoverer implements ConsumerRecordRecoverer {

  private static final Logger log = LoggerFactory.getLogger(DeadTokenEventRecoverer.class);

  private final DeadLetterPublishingRecoverer deadLetters;
  private final TokenProjection projection;
  private final Duration timeout;

  DeadTokenEventRecoverer(DeadLetterPublishingRecoverer deadLetters, TokenProjection projection, Duration timeout) {
    this.deadLetters = deadLetters;
    this.projection = projection;
    this.timeout = timeout;
  }

  @Override
  public void accept(ConsumerRecord<?, ?> record, Exception failure) {
    if (Failures.isPoison(failure)) {
      log.warn("Dead-lettering unreadable token event {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), Failures.poisonReason(failure));
    } else {
      log.error("Dead-lettering token event {}-{}@{} after repeated failures; the projection skips it",
          record.topic(), record.partition(), record.offset(), failure);
    }
    // Both throw when they fail; the error handler then tries the record again.
    deadLetters.accept(record, failure);
    projection.skip(record.topic(), record.partition(), record.offset()).timeout(timeout).block();
  }
}
