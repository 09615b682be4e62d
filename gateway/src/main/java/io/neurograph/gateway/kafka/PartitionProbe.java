package io.neurograph.gateway.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Asks the broker, at start-up, which partitions a topic has and where each one ends, so the gateway's
 * consumers start at an exact position instead of a lazily resolved "latest".
 */
public final class PartitionProbe {

  private static final Logger log = LoggerFactory.getLogger(PartitionProbe.class);

  private final ConsumerFactory<String, String> consumers;
  private final Duration timeout;

  /** A probe using the application's consumer settings. */
  public PartitionProbe(ConsumerFactory<String, String> consumers, Duration timeout) {
    this.consumers = consumers;
    this.timeout = timeout;
  }

  /** The partitions of each topic, retried until the broker answers or the timeout passes. */
  public List<TopicPartition> partitions(Collection<String> topics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try (Consumer<String, String> consumer = consumers.createConsumer("probe", "-probe")) {
        List<TopicPartition> result = new ArrayList<>();
        for (String topic : topics) {
          List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
          if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions yet");
          }
          infos.forEach(info -> result.add(new TopicPartition(info.topic(), info.partition())));
        }
        result.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return result;
      } catch (RuntimeException e) {
        last = e;
        log.warn("Kafka not ready for {} yet: {}", topics, e.getMessage());
        pause();
      }
    }
    throw new IllegalStateException("cannot read partitions of " + topics + " within " + timeout, last);
  }

  private static void pause() {
    try {
      // Start-up back-off between attempts; runs once per start, never on a request path.
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /** The current end offset of each partition. */
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    try (Consumer<String, String> consumer = consumers.createConsumer("probe", "-probe")) {
      return consumer.endOffsets(partitions, timeout);
    }
  }
}
