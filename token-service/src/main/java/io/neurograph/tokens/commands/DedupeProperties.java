package io.neurograph.tokens.commands;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long command ids are remembered for idempotency.
 *
 * @param dedupeWindow a command id re-sent within this window gets the original reply and changes nothing
 * @param dedupeCleanupInterval how often ids older than the window are deleted
 */
@Validated
@ConfigurationProperties("neurograph.tokens")
public record DedupeProperties(
    @DefaultValue("24h") @DurationMin(minutes = 1) Duration dedupeWindow,
    @DefaultValue("10m") @DurationMin(seconds = 1) Duration dedupeCleanupInterval) {}
