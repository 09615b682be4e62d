package io.neurograph.tokens.commands;

import io.neurograph.tokens.store.ProcessedCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Forgets command ids older than the dedupe window, in bounded batches, every
 * {@code neurograph.tokens.dedupe-cleanup-interval}. The loop is a Reactor pipeline owned by this
 * lifecycle bean: subscribed on start, disposed on stop.
 */
@Component
class DedupeJanitor implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DedupeJanitor.class);
  private static final int BATCH = 10_000;

  private final ProcessedCommands processed;
  private final DedupeProperties properties;
  private Disposable loop;

  DedupeJanitor(ProcessedCommands processed, DedupeProperties properties) {
    this.processed = processed;
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    if (loop == null) {
      loop = Flux.interval(properties.dedupeCleanupInterval())
          .onBackpressureDrop()
          .concatMap(tick -> purge(), 1)
          .subscribe();
    }
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.dispose();
      loop = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  /** Deletes expired ids batch by batch; emits the total. */
  Mono<Long> purge() {
    return processed.purgeOlderThan(properties.dedupeWindow(), BATCH)
        .expand(deleted -> deleted >= BATCH ? processed.purgeOlderThan(properties.dedupeWindow(), BATCH) : Mono.empty())
        .reduce(0L, Long::sum)
        .doOnNext(total -> {
          if (total > 0) {
            log.info("Forgot {} command ids older than {}", total, properties.dedupeWindow());
          }
        })
        // Policy: a failed clean-up only delays forgetting; the next interval tries again.
        .onErrorResume(e -> {
          log.warn("Dedupe clean-up failed, retrying in {}: {}", properties.dedupeCleanupInterval(), e.toString());
          return Mono.just(0L);
        });
  }
}
