package io.neurograph.graph.commands;

import io.neurograph.graph.store.ProcessedCommands;
import io.neurograph.graph.store.ProjectionStore;
import java.time.Duration;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Forgets command ids and applied token event ids older than the dedupe window, in bounded batches, every
 * {@code neurograph.graph.dedupe-cleanup-interval}. The loop is a Reactor pipeline owned by this
 * lifecycle bean: subscribed on start, disposed on stop.
 */
@Component
class DedupeJanitor implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DedupeJanitor.class);
  private static final int BATCH = 10_000;

  private final ProcessedCommands processed;
  private final ProjectionStore projection;
  private final DedupeProperties properties;
  private Disposable loop;

  DedupeJanitor(ProcessedCommands processed, ProjectionStore projection, DedupeProperties properties) {
    this.processed = processed;
    this.projection = projection;
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
    return purge("command ids", processed::purgeOlderThan)
        .zipWith(purge("token event ids", projection::purgeEventsOlderThan), Long::sum);
  }

  private Mono<Long> purge(String what, BiFunction<Duration, Integer, Mono<Long>> batch) {
    Duration window = properties.dedupeWindow();
    return batch.apply(window, BATCH)
        .expand(deleted -> deleted >= BATCH ? batch.apply(window, BATCH) : Mono.empty())
        .reduce(0L, Long::sum)
        .doOnNext(total -> {
          if (total > 0) {
            log.info("Forgot {} {} older than {}", total, what, window);
          }
        })
        // Policy: a failed clean-up only delays forgetting; the next interval tries again.
        .onErrorResume(e -> {
          log.warn("Dedupe clean-up of {} failed, retrying in {}: {}", what, properties.dedupeCleanupInterval(),
              e.toString());
          return Mono.just(0L);
        });
  }
}
