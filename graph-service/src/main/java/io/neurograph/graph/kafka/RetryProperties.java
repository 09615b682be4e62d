package io.neurograph.graph.kafka;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Back-off of failed records, on the command topic and on the token event topic alike. Transient failures
 * (database or Kafka unreachable, timeouts) are retried forever with capped exponential back-off; anything
 * else {@code attempts} times, then the record goes to its dead-letter topic.
 *
 * @param initialInterval first pause after a failure
 * @param multiplier growth of the pause per further failure (transient failures)
 * @param maxInterval longest pause (transient failures)
 * @param attempts deliveries of a record failing with an unexpected error before it is dead-lettered
 */
@Validated
@ConfigurationProperties("neurograph.graph.retry")
public record RetryProperties(
    @DefaultValue("200ms") @DurationMin(millis = 1) Duration initialInterval,
    @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
    @DefaultValue("10s") @DurationMin(millis = 1) Duration maxInterval,
    @DefaultValue("3") @Min(1) @Max(100) int attempts) {}
