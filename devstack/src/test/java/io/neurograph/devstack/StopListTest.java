package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StopListTest {

  private final List<String> stopped = new CopyOnWriteArrayList<>();
  private final StopList list = new StopList();

  @Test
  void stopsNewestFirstAndOnlyOnce() {
    list.addCleanup("Deleting data", "Deleted data", () -> stopped.add("data"));
    list.start("Kafka", () -> "kafka", name -> () -> stopped.add(name));
    list.start("Redis", () -> "redis", name -> () -> stopped.add(name));

    list.stopAll();
    list.stopAll();

    assertThat(stopped).containsExactly("redis", "kafka", "data");
    assertThat(list.isStopping()).isTrue();
  }

  @Test
  void oneFailingStepDoesNotKeepTheOthersRunning() {
    list.start("Kafka", () -> "kafka", name -> () -> stopped.add(name));
    list.start("broken", () -> "broken", name -> () -> {
      throw new IllegalStateException("stuck");
    });

    list.stopAll();

    assertThat(stopped).containsExactly("kafka");
  }

  @Test
  void startsNothingOnceStopping() {
    list.stopAll();

    assertThatThrownBy(() -> list.start("Redis", () -> {
      stopped.add("started anyway");
      return "redis";
    }, name -> () -> { })).isInstanceOf(StopList.Stopping.class);
    assertThat(stopped).isEmpty();
  }
}
