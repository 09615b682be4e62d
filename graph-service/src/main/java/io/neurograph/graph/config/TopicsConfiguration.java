package io.neurograph.graph.config;

import io.neurograph.contracts.kafka.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

  /** The topic names of this deployment, from the configured prefix. */
  @Bean
  Topics topics(KafkaTopicProperties properties) {
    return new Topics(properties.topicPrefix());
  }
}
