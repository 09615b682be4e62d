package io.neurograph.gateway.kafka;

import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.requests.ReplyStream;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Ready only while the event fan-out and the reply stream are consuming and connected to Kafka: before that,
 * or while Kafka is out of reach, replies would be lost and requests would only time out. Reads the consumers'
 * own connection counts, so a probe costs no Kafka round trip.
 */
@Component("kafkaStreams")
class KafkaStreamsHealthIndicator implements HealthIndicator {

  private final EventStream events;
  private final ReplyStream replies;

  KafkaStreamsHealthIndicator(EventStream events, ReplyStream replies) {
    this.events = events;
    this.replies = replies;
  }

  @Override
  public Health health() {
    boolean eventsUp = events.isRunning() && events.connected();
    boolean repliesUp = replies.isRunning() && replies.connected();
    return (eventsUp && repliesUp ? Health.up() : Health.down())
        .withDetail("events", eventsUp).withDetail("replies", repliesUp).build();
  }
}
