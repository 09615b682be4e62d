package io.neurograph.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate schedule that does not wait for answers (open loop). Request {@code i} is due at
 * {@code start + i / rate}; when the sender falls behind (a pause, a full machine) it sends late, and the caller
 * measures latency from the due time, so the pause counts against the system instead of being omitted.
 */
final class OpenLoop {

  /** Called for every request with its sequence number and due time ({@link System#nanoTime()}). */
  interface Sender {
    void send(long sequence, long dueNanos);
  }

  private OpenLoop() {}

  /** Sends at {@code ratePerSecond} from {@code startNanos} for {@code duration}, on the calling thread. */
  static long run(double ratePerSecond, long startNanos, Duration duration, Sender sender) {
    double interval = 1_000_000_000d / ratePerSecond;
    long end = startNanos + duration.toNanos();
    long sequence = 0;
    while (true) {
      long due = startNanos + (long) (sequence * interval);
      if (due >= end) {
        return sequence;
      }
      waitUntil(due);
      sender.send(sequence, due);
      sequence++;
    }
  }

  /** Parks until {@code nanoTime} or an interrupt (no busy spin: the machine is shared with what is measured). */
  static void waitUntil(long nanoTime) {
    long remaining;
    while ((remaining = nanoTime - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(remaining);
    }
  }
}
