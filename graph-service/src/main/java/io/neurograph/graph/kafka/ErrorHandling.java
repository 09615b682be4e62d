package io.neurograph.graph.kafka;

import io.neurograph.contracts.kafka.Topics;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/** The error handling every listener container of this service shares: back-off, then the dead-letter topic. */
public final class ErrorHandling {

  private ErrorHandling() {}

  /**
   * Publishes a record to {@code <its topic>-dlt}, same partition number, original key and value. Dead
   * letters keep the origin (topic, partition, offset, group) and the failure message, but no Java class
   * names or stack traces: those stay in this service's log.
   */
  public static DeadLetterPublishingRecoverer deadLetters(KafkaTemplate<String, byte[]> kafka) {
    var deadLetters = new DeadLetterPublishingRecoverer(
        kafka, (record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
    deadLetters.excludeHeader(
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EXCEPTION,
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_CAUSE,
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
    return deadLetters;
  }

  /**
   * Poison records go straight to {@code recoverer}. Transient failures (database or Kafka unreachable,
   * timeouts) are retried forever with capped exponential back-off, since no outcome was recorded and the
   * record will succeed once the infrastructure is back; the partition waits meanwhile (order is kept).
   * Anything else is retried {@code attempts} times, then handed to {@code recoverer}.
   */
  public static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer, RetryProperties retry) {
    var unexpected = new FixedBackOff(retry.initialInterval().toMillis(), retry.attempts() - 1L);
    var handler = new DefaultErrorHandler(recoverer, unexpected);
    handler.addNotRetryableExceptions(PoisonRecordException.class);
    handler.setBackOffFunction((record, failure) -> Failures.isTransient(failure) ? transientBackOff(retry) : null);
    return handler;
  }

  private static ExponentialBackOff transientBackOff(RetryProperties retry) {
    // Unlimited attempts and elapsed time are ExponentialBackOff's defaults.
    var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    return backOff;
  }
}
