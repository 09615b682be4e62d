package io.neurograph.tokens.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.tokens.config.KafkaTopicProperties;
import io.neurograph.tokens.requests.RequestDispatcher;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
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
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Kafka side of the service: String keys and raw JSON byte values (serialized by the contracts'
 * {@code Json}, never with Spring type headers), an idempotent {@code acks=all} producer, the topic
 * declarations, and the command listener container with its error handling.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  /** Producer for replies, events and dead letters. */
  @Bean
  DefaultKafkaProducerFactoryCustomizer tokenServiceProducer() {
    return factory -> factory.updateConfigs(Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
  }

  /**
   * Consumer of the command topic. Values stay bytes so no deserializer can fail: a record that is not a
   * command is recognized by the listener and dead-lettered as it was. Offsets are committed by the
   * container once per poll, after every reply of the poll was acknowledged; a new group starts at the
   * earliest offset, so commands sent while no instance ran are processed.
   */
  @Bean
  DefaultKafkaConsumerFactoryCustomizer tokenServiceConsumer() {
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
   * Topics this service reads or writes. The dead-letter topic has as many partitions as the command
   * topic because a dead letter keeps its partition number.
   */
  @Bean
  KafkaAdmin.NewTopics tokenServiceTopics(Topics topics, KafkaTopicProperties properties) {
    return new KafkaAdmin.NewTopics(
        topic(topics.tokenCommands(), properties),
        topic(Topics.deadLetter(topics.tokenCommands()), properties),
        topic(topics.tokenEvents(), properties),
        topic(topics.gatewayReplies(), properties));
  }

  private static org.apache.kafka.clients.admin.NewTopic topic(String name, KafkaTopicProperties properties) {
    return TopicBuilder.name(name).partitions(properties.partitions()).replicas(properties.replicationFactor()).build();
  }

  /**
   * The command listener: the records of a poll run concurrently, one at a time per key, and the poll is
   * committed after all their replies. Stops (with the other late-phase lifecycles) before the database
   * pool and the producer close.
   */
  @Bean
  ConcurrentMessageListenerContainer<String, byte[]> commandListenerContainer(
      ConsumerFactory<String, byte[]> consumerFactory,
      KafkaTemplate<String, byte[]> kafka,
      Topics topics,
      RequestDispatcher dispatcher,
      CommandListenerProperties properties,
      Tracer tracer,
      Propagator propagator,
      MeterRegistry meters) {
    ReplyPublisher replies = new ReplyPublisher(kafka, topics, properties.replyTimeout());
    ContainerProperties container = new ContainerProperties(topics.tokenCommands());
    container.setGroupId(properties.consumerGroup());
    container.setClientId("token-service");
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setMessageListener(new CommandBatchListener(dispatcher, replies, properties,
        new RecordTracing(tracer, propagator), new RequestMetrics(meters, dispatcher::handles)));
    var listener = new ConcurrentMessageListenerContainer<>(consumerFactory, container);
    listener.setConcurrency(properties.concurrency());
    listener.setCommonErrorHandler(errorHandler(kafka, replies, properties.retry()));
    return listener;
  }

  /**
   * Poison records go straight to {@code <commands>-dlt}. Transient failures (database or Kafka
   * unreachable, timeouts) are retried forever with capped exponential back-off, since no outcome was
   * recorded and the record will succeed once the infrastructure is back. Anything else is retried a few
   * times, then dead-lettered with an {@code error INTERNAL} reply.
   *
   * <p>The batch listener reports the lowest failed record of a poll as a {@code BatchListenerFailedException}
   * caused by the record's failure: the handler commits the records before it, and the classification (it
   * looks through causes) and the back-off function ({@link Failures} looks through causes) apply to that
   * record alone. Any other exception would make the handler retry, and finally recover, the whole poll.
   */
  static DefaultErrorHandler errorHandler(
      KafkaTemplate<String, byte[]> kafka, ReplyPublisher replies, CommandListenerProperties.Retry retry) {
    var deadLetters = new DeadLetterPublishingRecoverer(
        kafka, (record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
    // Dead letters keep the origin (topic, partition, offset, group) and the failure message, but no Java
    // class names or stack traces: those stay in this service's log.
    deadLetters.excludeHeader(
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EXCEPTION,
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_CAUSE,
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
    var unexpected = new FixedBackOff(retry.initialInterval().toMillis(), retry.attempts() - 1L);
    var handler = new DefaultErrorHandler(new FailedCommandRecoverer(deadLetters, replies), unexpected);
    handler.addNotRetryableExceptions(PoisonRecordException.class);
    handler.setBackOffFunction((record, failure) -> Failures.isTransient(failure) ? transientBackOff(retry) : null);
    return handler;
  }

  private static ExponentialBackOff transientBackOff(CommandListenerProperties.Retry retry) {
    // Unlimited attempts and elapsed time are ExponentialBackOff's defaults.
    var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    return backOff;
  }
}
