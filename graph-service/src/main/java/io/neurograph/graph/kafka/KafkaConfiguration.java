package io.neurograph.graph.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.graph.config.KafkaTopicProperties;
import io.neurograph.graph.requests.RequestDispatcher;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The Kafka side of the service: String keys and raw JSON byte values (serialized by the contracts'
 * {@code Json}, never with Spring type headers), an idempotent {@code acks=all} producer, the topic
 * declarations, and the command listener container with its error handling.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  /** Producer for replies, events and dead letters. */
  @Bean
  DefaultKafkaProducerFactoryCustomizer graphServiceProducer() {
    return factory -> factory.updateConfigs(Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
  }

  /**
   * Consumer of the command and token event topics. Values stay bytes so no deserializer can fail: a
   * record that is not what its topic carries is recognized by its listener and dead-lettered as it was.
   * Offsets are committed by the containers (commands per poll, token events per record); a new group starts
   * at the earliest offset,
   * so commands sent while no instance ran are processed and the token projection starts from the start.
   */
  @Bean
  DefaultKafkaConsumerFactoryCustomizer graphServiceConsumer() {
    return factory -> factory.updateConfigs(Map.of(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
  }

  @Bean
  KafkaTemplate<String, byte[]> kafkaTemplate(ProducerFactory<String, byte[]> producerFactory) {
    return new KafkaTemplate<>(producerFactory);
  }

  /**
   * Topics this service reads or writes. A dead-letter topic has as many partitions as its topic because
   * a dead letter keeps its partition number. The token event topic is token-service's; it is declared
   * here too (same settings) so the projection can start first.
   */
  @Bean
  KafkaAdmin.NewTopics graphServiceTopics(Topics topics, KafkaTopicProperties properties) {
    return new KafkaAdmin.NewTopics(
        topic(topics.graphCommands(), properties),
        topic(Topics.deadLetter(topics.graphCommands()), properties),
        topic(topics.graphEvents(), properties),
        topic(topics.tokenEvents(), properties),
        topic(Topics.deadLetter(topics.tokenEvents()), properties),
        topic(topics.gatewayReplies(), properties));
  }

  private static NewTopic topic(String name, KafkaTopicProperties properties) {
    return TopicBuilder.name(name).partitions(properties.partitions()).replicas(properties.replicationFactor()).build();
  }

  /**
   * The command listener: a batch listener that processes a poll's records concurrently across keys and in
   * order within a key, and returns after every reply was acknowledged; the poll's offsets are committed
   * then ({@code AckMode.BATCH}). Stops (with the other late-phase lifecycles) before the database pool and
   * the producer close.
   */
  @Bean
  ConcurrentMessageListenerContainer<String, byte[]> commandListenerContainer(
      ConsumerFactory<String, byte[]> consumerFactory,
      KafkaTemplate<String, byte[]> kafka,
      Topics topics,
      RequestDispatcher dispatcher,
      CommandListenerProperties properties,
      RetryProperties retry,
      Tracer tracer,
      Propagator propagator,
      MeterRegistry meters) {
    ReplyPublisher replies = new ReplyPublisher(kafka, topics, properties.replyTimeout());
    ContainerProperties container = new ContainerProperties(topics.graphCommands());
    container.setGroupId(properties.consumerGroup());
    container.setClientId("graph-service");
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setMessageListener(new CommandBatchListener(dispatcher, replies, properties.processingTimeout(),
        properties.maxInFlight(), batchTimeout(properties), new RecordTracing(tracer, propagator),
        new RequestMetrics(meters, dispatcher::handles)));
    var listener = new ConcurrentMessageListenerContainer<>(consumerFactory, container);
    listener.setConcurrency(properties.concurrency());
    listener.setCommonErrorHandler(errorHandler(kafka, replies, retry));
    return listener;
  }

  /**
   * The bound of one batch. A record takes at most the processing and the reply timeout, a key's records
   * run one after another, so this is no deadline but a guard against a record that never ends; it stays
   * below Kafka's default {@code max.poll.interval.ms} (5 minutes) at the default timeouts, so the consumer
   * keeps its partitions.
   */
  static Duration batchTimeout(CommandListenerProperties properties) {
    return properties.processingTimeout().plus(properties.replyTimeout()).multipliedBy(4);
  }

  /**
   * Poison records go straight to {@code <commands>-dlt}; see {@link ErrorHandling#errorHandler}. A
   * command given up on is dead-lettered with an {@code error INTERNAL} reply.
   */
  static DefaultErrorHandler errorHandler(
      KafkaTemplate<String, byte[]> kafka, ReplyPublisher replies, RetryProperties retry) {
    return ErrorHandling.errorHandler(
        new FailedCommandRecoverer(ErrorHandling.deadLetters(kafka), replies), retry);
  }
}
