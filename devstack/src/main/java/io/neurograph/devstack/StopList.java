package io.neurograph.devstack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What devstack has started, stopped newest first and exactly once, whoever asks first: the signal
 * handler, the shutdown hook or a failed start.
 */
final class StopList {

  /** One thing to stop. */
  @FunctionalInterface
  interface Step {
    void stop() throws Exception;
  }

  private record Entry(String doing, String done, Step step) {}

  private static final Logger log = LoggerFactory.getLogger(StopList.class);

  private final Deque<Entry> entries = new ArrayDeque<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * Starts something and registers how to stop it; it will be stopped before everything registered earlier.
   * A stop request waits for a start in progress, so nothing started is left behind; once stopping has
   * begun, nothing new starts ({@link Stopping}).
   */
  synchronized <T> T start(String name, Supplier<T> starter, Function<T, Step> stopper) {
    if (stopping.get()) {
      throw new Stopping();
    }
    T started = starter.get();
    entries.push(new Entry("Stopping " + name, "Stopped " + name, stopper.apply(started)));
    return started;
  }

  /**
   * Registers a clean-up, e.g. deleting a directory, described as {@code doing} / {@code done}; it runs after
   * everything registered later.
   */
  synchronized void addCleanup(String doing, String done, Step step) {
    if (stopping.get()) {
      throw new Stopping();
    }
    entries.push(new Entry(doing, done, step));
  }

  /** Whether stopping has begun. */
  boolean isStopping() {
    return stopping.get();
  }

  /** Stops everything registered, newest first; later calls wait for the first one and return. */
  void stopAll() {
    // Set before taking the lock, so a start in progress can already tell its failure is part of stopping.
    stopping.set(true);
    synchronized (this) {
      while (!entries.isEmpty()) {
        run(entries.pop());
      }
    }
  }

  /** Thrown instead of starting something once stopping has begun. */
  static final class Stopping extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Stopping() {
      super("devstack is stopping");
    }
  }

  private static void run(Entry entry) {
    long started = System.nanoTime();
    log.info("{}", entry.doing());
    try {
      entry.step().stop();
      log.info("{} in {} ms", entry.done(), (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      // Keep going: one stubborn piece must not leave the others running.
      log.warn("{} failed: {}", entry.doing(), e.toString());
    }
  }
}
