package io.neurograph.graph.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which Kafka topics the service uses and how they are declared.
 *
 * @param topicPrefix prefix of every topic name, so several platforms or tests can share one broker
 * @param partitions partitions of the declared topics (the same value in every service of the platform)
 * @param replicationFactor replication factor of the declared topics
 */
@Validated
@ConfigurationProperties("neurograph.kafka")
public record KafkaTopicProperties(
    @DefaultValue("neurograph") @NotBlank @Pattern(regexp = "[a-zA-Z0-9._-]{1,100}") String topicPrefix,
    @DefaultValue("6") @Min(1) @Max(1000) int partitions,
    @DefaultValue("1") @Min(1) @Max(10) short replicationFactor) {}
