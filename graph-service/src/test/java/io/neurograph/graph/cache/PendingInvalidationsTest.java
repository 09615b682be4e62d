package io.neurograph.graph.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PendingInvalidationsTest {

  private final AtomicLong now = new AtomicLong();
  private final PendingInvalidations pending = new PendingInvalidations(3, Duration.ofMinutes(5), now::get);

  @Test
  void aFailedKeyKeepsTheCacheOutOfUseUntilItIsRepaired() {
    assertThat(pending.clear()).isTrue();
    pending.failed(List.of("gen:a", "gen:list"));
    assertThat(pending.clear()).isFalse();
    pending.snapshot().forEach(pending::repaired);
    assertThat(pending.clear()).isTrue();
  }

  @Test
  void aRepairNeverForgetsAFailureNewerThanItself() {
    pending.failed(List.of("gen:a"));
    var before = pending.snapshot();
    pending.failed(List.of("gen:a"));
    before.forEach(pending::repaired);
    assertThat(pending.clear()).isFalse();
    assertThat(pending.snapshot()).containsOnlyKeys("gen:a");
  }

  @Test
  void pastItsCapacityTheCacheWaitsOneEntryLifetime() {
    pending.failed(List.of("gen:a", "gen:b"));
    pending.failed(List.of("gen:c", "gen:list"));
    assertThat(pending.snapshot()).isEmpty();
    assertThat(pending.waitingForExpiry()).isTrue();
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    pending.failed(List.of("gen:d"));
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    assertThat(pending.clear()).as("a failure inside the window extends it").isFalse();
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(pending.clear()).isTrue();
    assertThat(pending.waitingForExpiry()).isFalse();
  }
}
