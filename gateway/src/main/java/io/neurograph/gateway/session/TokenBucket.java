package io.neurograph.gateway.session;

/** A token bucket refilled continuously; one instance per connection, so contention is negligible. */
final class TokenBucket {

  private final double capacity;
  private final double refillPerNano;
  private double tokens;
  private long last;

  TokenBucket(int capacity, int refillPerSecond, long nowNanos) {
    this.capacity = capacity;
    this.refillPerNano = refillPerSecond / 1e9;
    this.tokens = capacity;
    this.last = nowNanos;
  }

  /**
   * Takes one token.
   *
   * @return 0 when granted, else milliseconds until a token will be available
   */
  synchronized long tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * refillPerNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano / 1e6));
  }
}
