package io.neurograph.gateway.config;

import io.neurograph.contracts.kafka.Topics;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka topic layout shared by every service ({@code neurograph.kafka.*}); where to connect is
 * {@code spring.kafka.bootstrap-servers}.
 *
 * @param topicPrefix first part of every topic name, so platforms or tests can share a broker
 * @param partitions partitions of the command, event and reply topics this service creates
 * @param replicationFactor replication factor of the topics this service creates
 */
@Validated
@ConfigurationProperties("neurograph.kafka")
public record KafkaTopicProperties(
    @DefaultValue(Topics.DEFAULT_PREFIX) @NotBlank String topicPrefix,
    @DefaultValue("6") @Min(1) int partitions,
    @DefaultValue("1") @Min(1) short replicationFactor) {

  /** The topic names under the configured prefix. */
  public Topics topics() {
    return new Topics(topicPrefix);
  }
}
