package io.neurograph.graph.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the outbox relay publishes graph events.
 *
 * @param pollInterval how often the relay looks for rows besides the wake-up after each commit (rows left by a crash)
 * @param batchSize most rows published in one relay transaction
 * @param publishTimeout longest wait for Kafka to acknowledge a batch before the transaction rolls back and the batch is retried
 * @param backlogRefresh how often the outbox backlog gauge is recounted (one {@code count(*)} per interval)
 */
@Validated
@ConfigurationProperties("neurograph.graph.outbox")
public record OutboxProperties(
    @DefaultValue("500ms") @DurationMin(millis = 10) Duration pollInterval,
    @DefaultValue("100") @Min(1) @Max(10_000) int batchSize,
    @DefaultValue("30s") @DurationMin(millis = 100) Duration publishTimeout,
    @DefaultValue("5s") @DurationMin(millis = 100) Duration backlogRefresh) {}
