package io.neurograph.testkit;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker per test JVM, started on first use: the broker named by
 * {@code NEUROGRAPH_TEST_KAFKA_BOOTSTRAP}, else a Testcontainers broker when Docker is present, else the
 * embedded KRaft broker of spring-kafka-test. Tests that share it use unique topic names.
 */
public final class TestKafka {

  /** Environment variable naming an external broker ({@code host:port[,host:port]}). */
  public static final String ENV = "NEUROGRAPH_TEST_KAFKA_BOOTSTRAP";

  private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
  private static String bootstrap;

  private TestKafka() {}

  /** Bootstrap servers of the shared broker. */
  public static synchronized String bootstrapServers() {
    if (bootstrap == null) {
      bootstrap = start();
    }
    return bootstrap;
  }

  private static String start() {
    String external = System.getenv(ENV);
    if (external != null && !external.isBlank()) {
      log.info("Using external Kafka at {}", external);
      return external;
    }
    if (Docker.available()) {
      var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.2");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "testkit-kafka-stop"));
      log.info("Started Testcontainers Kafka at {}", container.getBootstrapServers());
      return container.getBootstrapServers();
    }
    EmbeddedKafkaKraftBroker broker = embedded(0);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "testkit-kafka-stop"));
    log.info("Started embedded KRaft Kafka at {}", broker.getBrokersAsString());
    return broker.getBrokersAsString();
  }

  /**
   * A broker of its own, for tests that stop and restart Kafka; {@code port} 0 picks a free one. The
   * caller destroys it.
   */
  public static EmbeddedKafkaKraftBroker embedded(int port) {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.brokerProperties(
        Map.of(
            // A fresh consumer group should not wait 3 s for more members: tests start many.
            "group.initial.rebalance.delay.ms", "0",
            "auto.create.topics.enable", "true",
            "num.partitions", "3",
            "offsets.topic.num.partitions", "5"));
    if (port > 0) {
      broker.kafkaPorts(port);
    }
    broker.afterPropertiesSet();
    return broker;
  }
}
