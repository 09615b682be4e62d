package io.neurograph.tokens.kafka;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the command topic is consumed.
 *
 * @param consumerGroup Kafka consumer group of every token-service instance (partitions are shared among them)
 * @param concurrency consumer threads per instance (at most the partition count is useful; the default matches the
 *     default 6 partitions)
 * @param maxInFlight most commands one consumer thread processes at once, different keys only (commands of one key
 *     run one after another)
 * @param processingTimeout longest time one record may take (database work) before it counts as a transient failure
 * @param replyTimeout longest wait for Kafka to acknowledge a reply before the record is retried
 * @param retry back-off of failed records
 */
@Validated
@ConfigurationProperties("neurograph.tokens")
public record CommandListenerProperties(
    @DefaultValue("neurograph-token-service") @NotBlank String consumerGroup,
    @DefaultValue("6") @Min(1) @Max(64) int concurrency,
    @DefaultValue("64") @Min(1) @Max(1024) int maxInFlight,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration processingTimeout,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration replyTimeout,
    @DefaultValue @Valid Retry retry) {

  /**
   * Back-off of failed records. Transient failures (database or Kafka unreachable, timeouts) are retried
   * forever with capped exponential back-off; anything else {@code attempts} times, then the record goes
   * to the dead-letter topic and the requester gets {@code error INTERNAL}.
   *
   * @param initialInterval first pause after a failure
   * @param multiplier growth of the pause per further failure (transient failures)
   * @param maxInterval longest pause (transient failures)
   * @param attempts deliveries of a record failing with an unexpected error before it is dead-lettered
   */
  public record Retry(
      @DefaultValue("200ms") @DurationMin(millis = 1) Duration initialInterval,
      @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
      @DefaultValue("10s") @DurationMin(millis = 1) Duration maxInterval,
      @DefaultValue("3") @Min(1) @Max(100) int attempts) {}
}
