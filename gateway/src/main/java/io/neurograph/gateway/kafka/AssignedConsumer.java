package io.neurograph.gateway.kafka;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * A listener container on explicitly assigned partitions at exact offsets, with no consumer group: each
 * gateway instance reads for itself and never commits, so instances cannot steal each other's records.
 */
public final class AssignedConsumer {

  private final KafkaMessageListenerContainer<String, String> container;

  private AssignedConsumer(KafkaMessageListenerContainer<String, String> container) {
    this.container = container;
  }

  /** Starts consuming {@code assignment} with {@code listener} (a record or batch message listener). */
  public static AssignedConsumer start(ConsumerFactory<String, String> consumers, String name, Object listener,
      TopicPartitionOffset... assignment) {
    ContainerProperties properties = new ContainerProperties(assignment);
    properties.setMessageListener(listener);
    properties.setClientId(name);
    KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(consumers, properties);
    container.setBeanName(name);
    container.start();
    return new AssignedConsumer(container);
  }

  /** Stops consuming. */
  public void stop() {
    container.stop();
  }

  /** Whether the consumer runs. */
  public boolean isRunning() {
    return container.isRunning();
  }
}
