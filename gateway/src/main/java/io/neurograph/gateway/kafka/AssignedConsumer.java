package io.neurograph.gateway.kafka;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * A listener container on explicitly assigned partitions at exact offsets, with no consumer group: each
 * gateway instance reads for itself and never commits, so instances cannot steal each other's records.
 * Created idle; the owner starts it once it knows the assignment.
 */
public final class AssignedConsumer {

  private final String name;
  private volatile KafkaMessageListenerContainer<String, String> container;

  /** An idle consumer; {@code name} becomes its client id. */
  public AssignedConsumer(String name) {
    this.name = name;
  }

  /** Starts consuming {@code assignment} with {@code listener} (a record or batch message listener). */
  public void start(ConsumerFactory<String, String> consumers, Object listener, TopicPartitionOffset... assignment) {
    ContainerProperties properties = new ContainerProperties(assignment);
    properties.setMessageListener(listener);
    properties.setClientId(name);
    KafkaMessageListenerContainer<String, String> created = new KafkaMessageListenerContainer<>(consumers, properties);
    created.setBeanName(name);
    created.start();
    container = created;
  }

  /** Stops consuming; nothing happens when it never started. */
  public void stop() {
    KafkaMessageListenerContainer<String, String> running = container;
    if (running != null) {
      running.stop();
    }
  }

  /**
   * Whether the consumer has a connection to a broker now (its {@code connection-count} metric): a running
   * consumer keeps fetching from the partition leaders, so zero connections means Kafka is out of reach.
   */
  public boolean connected() {
    KafkaMessageListenerContainer<String, String> running = container;
    if (running == null || !running.isRunning()) {
      return false;
    }
    for (Map<MetricName, ? extends Metric> metrics : running.metrics().values()) {
      for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
        if ("connection-count".equals(metric.getKey().name()) && "consumer-metrics".equals(metric.getKey().group())
            && metric.getValue().metricValue() instanceof Number count && count.doubleValue() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the consumer runs. */
  public boolean isRunning() {
    KafkaMessageListenerContainer<String, String> running = container;
    return running != null && running.isRunning();
  }
}
