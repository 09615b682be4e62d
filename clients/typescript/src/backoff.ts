/** Exponential backoff with jitter for reconnect attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialDelay: number;
  /** Upper bound of any delay, in ms. */
  maxDelay: number;
  /** Growth factor per attempt (>= 1). */
  factor: number;
  /**
   * Share of the delay that is random, 0..1: the delay is drawn uniformly from
   * `[base * (1 - jitter), base]`, where base = min(maxDelay, initialDelay * factor^attempt).
   */
  jitter: number;
}

/**
 * The delay before reconnect attempt number `attempt` (0 = the first retry after a drop).
 * `random` is a number in [0, 1), injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number = Math.random()): number {
  const initial = Math.max(0, options.initialDelay);
  const max = Math.max(initial, options.maxDelay);
  const factor = Math.max(1, options.factor);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  const exponent = Math.max(0, Math.floor(attempt));
  // Cap before multiplying out so huge attempt numbers do not overflow to Infinity/NaN.
  const base = Math.min(max, initial * Math.pow(factor, Math.min(exponent, 64)));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(base * (1 - jitter * r));
}
