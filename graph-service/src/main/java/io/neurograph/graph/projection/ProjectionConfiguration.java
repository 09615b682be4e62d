package io.neurograph.graph.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.graph.kafka.ErrorHandling;
import io.neurograph.graph.kafka.RecordTracing;
import io.neurograph.graph.kafka.RetryProperties;
import io.neurograph.graph.store.ProjectionStore;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

/** The token projection's listener container on the token event topic, and the catch-up barrier. */
@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

  /**
   * The token event listener: one record at a time per partition, committed after its transaction.
   * Unreadable records go to {@code <token events>-dlt} at once; others as described in
   * {@link ErrorHandling#errorHandler}.
   */
  @Bean
  ConcurrentMessageListenerContainer<String, byte[]> tokenEventListenerContainer(
      ConsumerFactory<String, byte[]> consumerFactory,
      KafkaTemplate<String, byte[]> kafka,
      Topics topics,
      TokenProjection projection,
      ProjectionProperties properties,
      RetryProperties retry,
      Tracer tracer,
      Propagator propagator) {
    ContainerProperties container = new ContainerProperties(topics.tokenEvents());
    container.setGroupId(properties.consumerGroup());
    container.setClientId("graph-service-projection");
    container.setAckMode(ContainerProperties.AckMode.RECORD);
    container.setMessageListener(new TokenEventListener(
        projection, properties.processingTimeout(), new RecordTracing(tracer, propagator)));
    var listener = new ConcurrentMessageListenerContainer<>(consumerFactory, container);
    listener.setConcurrency(properties.concurrency());
    var recoverer =
        new DeadTokenEventRecoverer(ErrorHandling.deadLetters(kafka), projection, properties.processingTimeout());
    listener.setCommonErrorHandler(ErrorHandling.errorHandler(recoverer, retry));
    return listener;
  }

  /** Kafka admin client of the barrier (end offsets), with the application's Kafka connection settings. */
  @Bean(destroyMethod = "close")
  Admin projectionAdmin(KafkaAdmin kafkaAdmin) {
    Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "graph-service-barrier");
    return Admin.create(config);
  }

  @Bean
  ProjectionBarrier projectionBarrier(
      Admin projectionAdmin, Topics topics, ProjectionStore store, ProjectionProperties properties,
      MeterRegistry meters) {
    return new ProjectionBarrier(topics.tokenEvents(), new KafkaTokenEventLog(projectionAdmin), store::position,
        properties.catchUpTimeout(), properties.catchUpPollInterval(), meters);
  }
}
