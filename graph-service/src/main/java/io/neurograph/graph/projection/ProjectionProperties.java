package io.neurograph.graph.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the projection of tokens is built from the token event topic, and how long a connect waits for it.
 *
 * @param consumerGroup Kafka consumer group of the projection (partitions are shared among the instances)
 * @param concurrency consumer threads per instance (at most the token event topic's partition count is useful)
 * @param processingTimeout longest time one token event may take to apply before it counts as a transient failure
 * @param catchUpTimeout longest wait of a {@code graph.connect} for the projection to apply every token
 *     event published before it (then: {@code error UNAVAILABLE})
 * @param catchUpPollInterval how often that wait reads the projection's position
 */
@Validated
@ConfigurationProperties("neurograph.graph.projection")
public record ProjectionProperties(
    @DefaultValue("graph-service-projection") @NotBlank String consumerGroup,
    @DefaultValue("3") @Min(1) @Max(64) int concurrency,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration processingTimeout,
    @DefaultValue("5s") @DurationMin(millis = 10) Duration catchUpTimeout,
    @DefaultValue("15ms") @DurationMin(millis = 1) Duration catchUpPollInterval) {}
