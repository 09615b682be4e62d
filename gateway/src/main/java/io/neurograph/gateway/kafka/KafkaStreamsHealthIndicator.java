package io.neurograph.gateway.kafka;

import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.requests.ReplyStream;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ready only while the event fan-out and the reply stream are consuming: before that, replies would be lost. */
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
    Health.Builder health = events.isRunning() && replies.isRunning() ? Health.up() : Health.down();
    return health.withDetail("events", events.isRunning()).withDetail("replies", replies.isRunning()).build();
  }
}
