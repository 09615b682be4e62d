package io.neurograph.gateway.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.testkit.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Hooks;
import reactor.test.StepVerifier;

/**
 * Publishing while no broker answers (a real producer pointed at a port nobody listens on): the send
 * fails instead of hanging, and a failure that arrives after its request gave up is counted quietly,
 * never reported to Reactor as a dropped error (an ERROR with a stack trace per record in an outage).
 */
class KafkaPublisherTest {

  private final List<Throwable> dropped = new CopyOnWriteArrayList<>();
  private DefaultKafkaProducerFactory<String, String> producers;
  private KafkaPublisher publisher;

  @BeforeEach
  void noBroker() {
    Hooks.onErrorDropped(dropped::add);
    producers = new DefaultKafkaProducerFactory<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.next(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 6000));
    publisher = new KafkaPublisher(new KafkaTemplate<>(producers), properties());
  }

  @AfterEach
  void close() {
    publisher.destroy();
    producers.destroy();
    Hooks.resetOnErrorDropped();
  }

  @Test
  void aSendKafkaDoesNotTakeFails() {
    StepVerifier.create(publisher.publish(new ProducerRecord<>("commands", "k", "v")))
        .expectError()
        .verify(Duration.ofSeconds(30));
    assertThat(publisher.failedSends()).isEqualTo(1);
  }

  @Test
  void aRequestThatGivesUpLeavesItsSendAloneAndItsFailureIsCountedNotDropped() {
    // The request gives up while its send waits for metadata (max.block.ms is three times longer).
    StepVerifier.create(publisher.publish(new ProducerRecord<>("commands", "k", "given-up"))
            .timeout(Duration.ofSeconds(2)))
        .expectError(TimeoutException.class)
        .verify(Duration.ofSeconds(30));

    await().atMost(Duration.ofSeconds(30)).until(() -> publisher.failedSends() == 1);
    assertThat(causes(publisher.lastFailure()))
        .as("the send ran to its own end instead of being interrupted")
        .noneMatch(InterruptException.class::isInstance)
        .anyMatch(org.apache.kafka.common.errors.TimeoutException.class::isInstance);
    assertThat(dropped).as("nothing reported to Reactor as a dropped error").isEmpty();
  }

  @Test
  void aSendStillQueuedWhenItsRequestGivesUpIsSkipped() {
    // The first send holds the one publishing thread for max.block.ms; the second one waits behind it.
    publisher.publish(new ProducerRecord<>("commands", "k", "first")).subscribe(ignored -> { }, ignored -> { });
    StepVerifier.create(publisher.publish(new ProducerRecord<>("commands", "k", "queued"))
            .timeout(Duration.ofMillis(100)))
        .expectError(TimeoutException.class)
        .verify(Duration.ofSeconds(30));
    StepVerifier.create(publisher.publish(new ProducerRecord<>("commands", "k", "last")))
        .expectError()
        .verify(Duration.ofSeconds(30));

    assertThat(publisher.failedSends()).as("first and last; the queued one was never handed to Kafka")
        .isEqualTo(2);
    assertThat(dropped).isEmpty();
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static GatewayProperties properties() {
    return new GatewayProperties("/ws", null, Duration.ofSeconds(20), Duration.ofSeconds(60),
        DataSize.ofMegabytes(1), DataSize.ofKilobytes(16), Duration.ofSeconds(10), 10, 50, 100, 100,
        new GatewayProperties.Outbound(10, DataSize.ofMegabytes(1), Duration.ofSeconds(5)),
        new GatewayProperties.RateLimit(true, 200, 100),
        new GatewayProperties.Resume(8, 1000, Duration.ofSeconds(10), Duration.ofSeconds(30)), List.of());
  }
}
