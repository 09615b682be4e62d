package io.neurograph.tokens.cache;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs Redis trouble once per outage instead of once per request: a WARN when calls start failing, an
 * INFO when they succeed again, DEBUG in between. Every failure is counted ({@code neurograph.cache.errors}).
 */
final class RedisFailureLog {

  private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

  private final AtomicBoolean failing = new AtomicBoolean(false);
  private final CacheMetrics metrics;

  RedisFailureLog(CacheMetrics metrics) {
    this.metrics = metrics;
  }

  void failed(String operation, Throwable error) {
    metrics.error(operation);
    if (failing.compareAndSet(false, true)) {
      log.warn("Redis {} failed, answering from PostgreSQL until Redis is back: {}", operation, describe(error));
    } else if (log.isDebugEnabled()) {
      log.debug("Redis {} failed: {}", operation, describe(error));
    }
  }

  void succeeded() {
    if (failing.compareAndSet(true, false)) {
      log.info("Redis answers again, cache in use");
    }
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
