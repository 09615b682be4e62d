package io.neurograph.graph.kafka;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the graph command topic is consumed.
 *
 * @param consumerGroup Kafka consumer group of every graph-service instance (partitions are shared among them)
 * @param concurrency consumer threads per instance (at most the partition count is useful: a partition is read by
 *     one thread; the default matches the default 6 partitions)
 * @param processingTimeout longest time one record may take (database work, including a wait for the token
 *     projection to catch up) before it counts as a transient failure
 * @param replyTimeout longest wait for Kafka to acknowledge a reply before the record is retried
 * @param maxInFlight the most commands one consumer thread processes at once, different keys only
 */
@Validated
@ConfigurationProperties("neurograph.graph")
public record CommandListenerProperties(
    @DefaultValue("graph-service") @NotBlank String consumerGroup,
    @DefaultValue("6") @Min(1) @Max(64) int concurrency,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration processingTimeout,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration replyTimeout,
    @DefaultValue("64") @Min(1) @Max(1024) int maxInFlight) {}
