package io.neurograph.graph.commands;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long command ids (idempotency) and applied token event ids (projection) are remembered.
 *
 * @param dedupeWindow a command id re-sent, or a token event re-published, within this window changes nothing
 * @param dedupeCleanupInterval how often ids older than the window are deleted
 */
@Validated
@ConfigurationProperties("neurograph.graph")
public record DedupeProperties(
    @DefaultValue("24h") @DurationMin(minutes = 1) Duration dedupeWindow,
    @DefaultValue("10m") @DurationMin(seconds = 1) Duration dedupeCleanupInterval) {}
