package io.neurograph.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the WebSocket endpoint behaves ({@code neurograph.gateway.*}).
 *
 * @param path WebSocket endpoint path
 * @param instanceId this instance's id: the reply address services answer to; random when blank
 * @param heartbeatInterval how often the server sends a WebSocket ping frame
 * @param idleTimeout a connection with no inbound frame (data or pong) for this long is closed with 1001
 * @param maxFrameSize largest inbound frame (or reassembled message); bigger closes with 1009
 * @param maxMetadataSize largest {@code metadata} object of a request, as compact JSON in UTF-8; bigger is
 *     {@code VALIDATION_FAILED}. At most 16 KiB, the protocol's own limit, which the services also enforce
 * @param requestTimeout how long a request waits for the owning service before {@code TIMEOUT}
 * @param maxConnections connections beyond this are refused at the handshake with HTTP 503
 * @param maxSubscriptions subscriptions per connection; more is {@code LIMIT_EXCEEDED}
 * @param maxInFlightRequests service requests per connection awaiting a reply; more is {@code LIMIT_EXCEEDED}
 * @param publishQueue Kafka sends waiting for the producer thread, across all connections; beyond it
 *     requests get {@code UNAVAILABLE}
 * @param outbound per-connection outbound buffer
 * @param rateLimit per-connection inbound rate limit
 * @param resume replays for {@code subscribe {since}}
 * @param allowedOrigins browser origins allowed to connect ({@code https://app.example.com}, or with a
 *     {@code *} host wildcard: {@code https://*.example.com}); a handshake with another {@code Origin} is
 *     HTTP 403, one without {@code Origin} (not a browser) is allowed; empty = any origin (development)
 */
@Validated
@ConfigurationProperties("neurograph.gateway")
public record GatewayProperties(
    @DefaultValue("/ws") @NotBlank @Pattern(regexp = "/[A-Za-z0-9/_-]*") String path,
    String instanceId,
    @DefaultValue("20s") @NotNull Duration heartbeatInterval,
    @DefaultValue("60s") @NotNull Duration idleTimeout,
    @DefaultValue("1MB") @NotNull DataSize maxFrameSize,
    @DefaultValue("16KB") @NotNull DataSize maxMetadataSize,
    @DefaultValue("10s") @NotNull Duration requestTimeout,
    @DefaultValue("10000") @Min(1) int maxConnections,
    @DefaultValue("50") @Min(1) int maxSubscriptions,
    @DefaultValue("100") @Min(1) @Max(10_000) int maxInFlightRequests,
    @DefaultValue("10000") @Min(1) int publishQueue,
    @DefaultValue @Valid @NotNull Outbound outbound,
    @DefaultValue @Valid @NotNull RateLimit rateLimit,
    @DefaultValue @Valid @NotNull Resume resume,
    List<@NotBlank String> allowedOrigins) {

  /** The protocol's limit on {@code metadata}; the gateway may only lower it. */
  public static final DataSize PROTOCOL_MAX_METADATA_SIZE = DataSize.ofKilobytes(16);

  /** Fills the random instance id and checks what annotations cannot. */
  public GatewayProperties {
    if (maxMetadataSize != null
        && (maxMetadataSize.toBytes() < 2 || maxMetadataSize.compareTo(PROTOCOL_MAX_METADATA_SIZE) > 0)) {
      throw new IllegalArgumentException("neurograph.gateway.max-metadata-size must be between 2B (an empty "
          + "object) and 16KB (the protocol's limit), not " + maxMetadataSize);
    }
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }

  /**
   * The bounded queue between the server and one slow client.
   *
   * @param maxMessages messages waiting to be written; one more closes the connection with 4008
   * @param maxBytes UTF-8 bytes waiting to be written; more closes the connection with 4008
   * @param closeGrace how long a closing connection may take to flush its close frame before it is cut
   */
  public record Outbound(
      @DefaultValue("1000") @Min(1) int maxMessages,
      @DefaultValue("4MB") @NotNull DataSize maxBytes,
      @DefaultValue("5s") @NotNull Duration closeGrace) {}

  /**
   * Replays from a cursor. Each runs on its own thread with its own Kafka consumer, so the number at once
   * is capped; more wait in a bounded queue, and beyond that a resume is refused with {@code UNAVAILABLE}.
   *
   * @param maxConcurrent replays running at once on this instance
   * @param maxWaiting replays waiting for a free slot
   * @param catchUpTimeout how long a resume waits for this instance to reach a cursor written by an instance
   *     that was ahead of it
   * @param stallTimeout a replay that gets nothing from Kafka for this long gives up with {@code UNAVAILABLE}
   */
  public record Resume(
      @DefaultValue("8") @Min(1) @Max(256) int maxConcurrent,
      @DefaultValue("1000") @Min(0) int maxWaiting,
      @DefaultValue("10s") @NotNull Duration catchUpTimeout,
      @DefaultValue("30s") @NotNull Duration stallTimeout) {}

  /**
   * Token bucket per connection, counted in inbound frames.
   *
   * @param enabled whether frames are rate limited at all
   * @param capacity burst size
   * @param refillPerSecond sustained frames per second
   */
  public record RateLimit(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("200") @Min(1) int capacity,
      @DefaultValue("100") @Min(1) int refillPerSecond) {}
}
