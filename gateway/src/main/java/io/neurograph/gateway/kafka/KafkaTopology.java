package io.neurograph.gateway.kafka;

import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.config.KafkaTopicProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the gateway touches, declared so they exist with the configured partition count before
 * anything is produced (a producer would otherwise auto-create them with the broker's default). Services
 * declare the same topics with the same settings; whichever starts first creates them.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopology {

  @Bean
  Topics topics(KafkaTopicProperties properties) {
    return properties.topics();
  }

  @Bean
  KafkaAdmin.NewTopics gatewayTopics(KafkaTopicProperties properties) {
    Topics topics = properties.topics();
    return new KafkaAdmin.NewTopics(
        topic(topics.tokenCommands(), properties.partitions(), properties),
        topic(topics.tokenEvents(), properties.partitions(), properties),
        topic(topics.graphCommands(), properties.partitions(), properties),
        topic(topics.graphEvents(), properties.partitions(), properties),
        topic(topics.gatewayReplies(), properties.partitions(), properties),
        // Operator messages are rare and must keep one global order: one partition.
        topic(topics.systemEvents(), 1, properties));
  }

  private static NewTopic topic(String name, int partitions, KafkaTopicProperties properties) {
    return TopicBuilder.name(name).partitions(partitions).replicas(properties.replicationFactor()).build();
  }
}
