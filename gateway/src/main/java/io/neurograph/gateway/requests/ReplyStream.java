package io.neurograph.gateway.requests;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.kafka.AssignedConsumer;
import io.neurograph.gateway.kafka.PartitionProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Receives the replies addressed to this instance. Services key each reply by the instance id, so the
 * default partitioner puts all of this instance's replies in one partition: the instance reads only that
 * partition (from its end at start-up) and skips the records of other instances that share it.
 */
@Component
public class ReplyStream implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ReplyStream.class);

  private final ConsumerFactory<String, String> consumers;
  private final Topics topics;
  private final String instanceId;
  private final PendingReplies pending;
  private final AtomicLong repliesReceived = new AtomicLong();
  private final AtomicLong repliesUnclaimed = new AtomicLong();
  private final AssignedConsumer consumer = new AssignedConsumer("gateway-replies");

  /** Creates the stream; it starts with the application context. */
  public ReplyStream(ConsumerFactory<String, String> consumers, Topics topics, GatewayProperties properties,
      PendingReplies pending) {
    this.consumers = consumers;
    this.topics = topics;
    this.instanceId = properties.instanceId();
    this.pending = pending;
  }

  /** The partition the default partitioner gives records keyed by {@code key}. */
  static int partitionFor(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public void start() {
    PartitionProbe probe = new PartitionProbe(consumers, Duration.ofSeconds(60));
    List<TopicPartition> partitions = probe.partitions(List.of(topics.gatewayReplies()));
    TopicPartition mine = new TopicPartition(topics.gatewayReplies(), partitionFor(instanceId, partitions.size()));
    long end = probe.endOffsets(List.of(mine)).getOrDefault(mine, 0L);
    consumer.start(consumers, (MessageListener<String, String>) this::onReply,
        new TopicPartitionOffset(mine.topic(), mine.partition(), end));
    log.info("Instance {} receives replies on {}", instanceId, mine);
  }

  private void onReply(ConsumerRecord<String, String> record) {
    if (!instanceId.equals(record.key())) {
      return;
    }
    repliesReceived.incrementAndGet();
    try {
      if (!pending.complete(Json.read(record.value(), ReplyMessage.class))) {
        // The request timed out or its connection closed; the outcome reached the service anyway.
        repliesUnclaimed.incrementAndGet();
      }
    } catch (JacksonException | IllegalArgumentException e) {
      log.warn("Skipping unreadable reply at {}-{}@{}", record.topic(), record.partition(), record.offset());
    }
  }

  @Override
  public void stop() {
    consumer.stop();
  }

  @Override
  public boolean isRunning() {
    return consumer.isRunning();
  }

  /** Whether the reply consumer is connected to Kafka now. */
  public boolean connected() {
    return consumer.connected();
  }

  /** Replies for this instance received since start. */
  public long repliesReceived() {
    return repliesReceived.get();
  }

  /** Replies that arrived after their request had ended. */
  public long repliesUnclaimed() {
    return repliesUnclaimed.get();
  }
}
