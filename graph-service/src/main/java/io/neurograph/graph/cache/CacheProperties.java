package io.neurograph.graph.cache;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How graph reads are cached in Redis.
 *
 * @param enabled whether reads go through Redis at all (off: every read hits PostgreSQL)
 * @param keyPrefix prefix of every Redis key, so services or tests sharing a Redis do not collide
 * @param ttl lifetime of a cached entry; generation keys live {@code 2 x ttl + 1 min} after their last use
 * @param timeout upper bound of any one Redis call before the service falls back to PostgreSQL
 * @param commandTimeout Lettuce command timeout (the client-side bound beneath {@code timeout})
 * @param connectTimeout Lettuce connect timeout
 * @param reconnectMaxDelay longest pause between Lettuce reconnect attempts after Redis went away
 */
@Validated
@ConfigurationProperties("neurograph.graph.cache")
public record CacheProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("ng:graph:") @NotBlank String keyPrefix,
    @DefaultValue("5m") @DurationMin(seconds = 1) @DurationMax(days = 7) Duration ttl,
    @DefaultValue("500ms") @DurationMin(millis = 10) Duration timeout,
    @DefaultValue("500ms") @DurationMin(millis = 10) Duration commandTimeout,
    @DefaultValue("1s") @DurationMin(millis = 10) Duration connectTimeout,
    @DefaultValue("5s") @DurationMin(millis = 100) Duration reconnectMaxDelay) {}
