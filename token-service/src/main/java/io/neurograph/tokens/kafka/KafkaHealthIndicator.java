package io.neurograph.tokens.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Health {@code kafka}: UP when the cluster answers a describe-cluster request within
 * {@link #TIMEOUT}. Part of the readiness group: an instance that cannot reach Kafka can neither take
 * commands nor reply, so it should get no traffic. Never blocks: the admin client's future is awaited
 * reactively.
 */
@Component
class KafkaHealthIndicator implements ReactiveHealthIndicator, DisposableBean {

  /** Longest wait for the cluster's answer; a probe must answer well within its own timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Admin admin;

  KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
    Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "token-service-health");
    this.admin = Admin.create(config);
  }

  @Override
  public Mono<Health> health() {
    return Mono.defer(() -> Mono.fromCompletionStage(admin.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
            .nodes()
            .toCompletionStage()))
        .timeout(TIMEOUT.plusMillis(500))
        .map(nodes -> nodes.isEmpty()
            ? Health.down().withDetail("nodes", 0).build()
            : Health.up().withDetail("nodes", nodes.size()).build())
        .onErrorResume(e -> Mono.just(Health.down().withDetail("error", String.valueOf(e.getMessage())).build()));
  }

  @Override
  public void destroy() {
    admin.close(Duration.ofSeconds(1));
  }
}
