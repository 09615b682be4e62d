package io.neurograph.gateway.limits;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request budget per client across all gateway instances, counted in Redis
 * ({@code neurograph.gateway.client-rate-limit.*}).
 *
 * @param enabled whether the shared limit applies at all (the per-connection limit is separate)
 * @param limit requests admitted per key and window; keep it well above one connection's own limit
 * @param window length of the fixed counting window
 * @param keyPrefix first part of every Redis key the limiter writes
 * @param timeout longest a request waits for Redis before it is admitted without the shared limit
 * @param connectTimeout TCP connect timeout to Redis
 */
@Validated
@ConfigurationProperties("neurograph.gateway.client-rate-limit")
public record ClientRateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1000") @Min(1) int limit,
    @DefaultValue("10s") @NotNull Duration window,
    @DefaultValue("neurograph:gateway:rate:") @NotBlank String keyPrefix,
    @DefaultValue("200ms") @NotNull Duration timeout,
    @DefaultValue("1s") @NotNull Duration connectTimeout) {

  /** Redis expiries are in milliseconds: a window must be at least one. */
  @AssertTrue(message = "window must be at least 1ms")
  public boolean isWindowAtLeastOneMilli() {
    return window == null || window.toMillis() >= 1;
  }
}
