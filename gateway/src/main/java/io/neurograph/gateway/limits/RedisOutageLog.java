package io.neurograph.gateway.limits;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs Redis trouble once per outage instead of once per request: a WARN when calls start failing, an INFO
 * when they succeed again, DEBUG in between.
 */
final class RedisOutageLog {

  private static final Logger log = LoggerFactory.getLogger(ClientRateLimiter.class);

  private final AtomicBoolean failing = new AtomicBoolean(false);

  void failed(String operation, Throwable error) {
    if (failing.compareAndSet(false, true)) {
      log.warn("Redis {} failed; the per-client rate limit is not enforced until Redis is back "
          + "(the per-connection limit still is): {}", operation, describe(error));
    } else if (log.isDebugEnabled()) {
      log.debug("Redis {} failed: {}", operation, describe(error));
    }
  }

  void succeeded() {
    if (failing.compareAndSet(true, false)) {
      log.info("Redis answers again; per-client rate limit enforced");
    }
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
