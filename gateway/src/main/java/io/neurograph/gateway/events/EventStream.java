package io.neurograph.gateway.events;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.kafka.AssignedConsumer;
import io.neurograph.gateway.kafka.PartitionProbe;
import io.neurograph.gateway.session.Outgoing;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Reads every event source once for this whole instance (never once per client) and fans each event out
 * to the local subscribers of the client topics it belongs to. One consumer thread, assigned every
 * partition explicitly (no consumer group: each instance needs all events), starting at the end offsets
 * read at start-up; every delivery carries the cursor after it. Replays from a cursor happen elsewhere
 * ({@link Resumer}), on their own consumers, so they never hold this one up.
 */
@Component
public class EventStream implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  /** How many recent event ids are remembered to drop republished duplicates (a few MB). */
  static final int RECENT_EVENT_IDS = 32_768;

  private final ConsumerFactory<String, String> consumers;
  private final Topics topics;
  private final SessionRegistry registry;
  private final Duration startupTimeout = Duration.ofSeconds(60);
  private final Map<TopicPartition, String> aliases = new HashMap<>();
  // Written by the consumer thread under the seam lock, so a subscription can start at an exact position.
  private final Object seam = new Object();
  private final Map<String, Long> positions = new HashMap<>();
  private volatile Map<String, Long> publishedPositions = Map.of();
  private volatile Map<String, TopicPartition> partitionsByAlias = Map.of();
  // A relay that crashed after publishing but before recording it publishes the same event again (same
  // event_id, later offset); clients should see it once. Consumer thread only; the oldest id is dropped.
  private final Map<String, Boolean> recentEventIds = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RECENT_EVENT_IDS;
    }
  };
  private final AtomicLong duplicatesDropped = new AtomicLong();
  private final AtomicLong eventsConsumed = new AtomicLong();
  private final AtomicLong framesDelivered = new AtomicLong();
  private volatile String currentCursor;
  private final AssignedConsumer consumer = new AssignedConsumer("gateway-events");

  /** Creates the stream; it starts with the application context. */
  public EventStream(ConsumerFactory<String, String> consumers, Topics topics, SessionRegistry registry) {
    this.consumers = consumers;
    this.topics = topics;
    this.registry = registry;
  }

  @Override
  public void start() {
    PartitionProbe probe = new PartitionProbe(consumers, startupTimeout);
    Map<String, String> topicAliases = Map.of(
        topics.tokenEvents(), EventRouting.TOKEN_EVENTS, topics.graphEvents(), EventRouting.GRAPH_EVENTS,
        topics.systemEvents(), EventRouting.SYSTEM_EVENTS);
    List<TopicPartition> partitions =
        probe.partitions(List.of(topics.tokenEvents(), topics.graphEvents(), topics.systemEvents()));
    Map<TopicPartition, Long> ends = probe.endOffsets(partitions);
    TopicPartitionOffset[] assignment = new TopicPartitionOffset[partitions.size()];
    Map<String, TopicPartition> byAlias = new HashMap<>();
    synchronized (seam) {
      for (int i = 0; i < partitions.size(); i++) {
        TopicPartition tp = partitions.get(i);
        String alias = topicAliases.get(tp.topic()) + tp.partition();
        aliases.put(tp, alias);
        byAlias.put(alias, tp);
        long end = ends.getOrDefault(tp, 0L);
        positions.put(alias, end);
        assignment[i] = new TopicPartitionOffset(tp.topic(), tp.partition(), end);
      }
      publishedPositions = Map.copyOf(positions);
      currentCursor = new Cursor(positions).encode();
    }
    partitionsByAlias = Map.copyOf(byAlias);
    consumer.start(consumers, (BatchMessageListener<String, String>) this::onBatch, assignment);
    log.info("Fanning out events from {} partitions of {}, {} and {}", partitions.size(), topics.tokenEvents(),
        topics.graphEvents(), topics.systemEvents());
  }

  @Override
  public void stop() {
    consumer.stop();
  }

  @Override
  public boolean isRunning() {
    return consumer.isRunning();
  }

  /** Whether the event consumer is connected to Kafka now. */
  public boolean connected() {
    return consumer.connected();
  }

  /** The position just after the last event handed to subscribers. */
  public String currentCursor() {
    return currentCursor;
  }

  /** Events read from Kafka since start. */
  public long eventsConsumed() {
    return eventsConsumed.get();
  }

  /** Republished events (an event id seen before) not delivered again since start. */
  public long duplicatesDropped() {
    return duplicatesDropped.get();
  }

  /** Frames queued to clients by fan-out since start. */
  public long framesDelivered() {
    return framesDelivered.get();
  }

  /**
   * Runs {@code action} at an exact seam of the event stream: every event before the position it is given
   * has been handed out, none after it has. Held per event (not per batch), so a caller waits at most
   * for one event's fan-out.
   */
  public <T> T atSeam(Function<Cursor, T> action) {
    synchronized (seam) {
      return action.apply(new Cursor(positions));
    }
  }

  /**
   * Waits (replay threads only, never an event loop) until this instance has handed out every event
   * before {@code cursor}: a cursor from an instance that is ahead of this one must not start a
   * subscription whose live part would repeat what the client already has.
   *
   * @return false when that did not happen within {@code timeout}
   */
  public boolean awaitReached(Cursor cursor, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seam) {
      while (!reached(cursor)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          seam.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** Whether this instance has handed out every event before {@code cursor} (partitions it does not read are ignored). */
  boolean reached(Cursor cursor) {
    Map<String, Long> published = publishedPositions;
    for (Map.Entry<String, Long> entry : cursor.next().entrySet()) {
      Long here = published.get(entry.getKey());
      if (here != null && here < entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The Kafka partition behind each alias this instance reads. */
  public Map<String, TopicPartition> partitions() {
    return partitionsByAlias;
  }

  private void onBatch(List<ConsumerRecord<String, String>> records) {
    for (ConsumerRecord<String, String> record : records) {
      synchronized (seam) {
        onRecord(record);
      }
    }
    String cursor;
    synchronized (seam) {
      cursor = new Cursor(positions).encode();
      publishedPositions = Map.copyOf(positions);
      seam.notifyAll();
    }
    currentCursor = cursor;
  }

  private void onRecord(ConsumerRecord<String, String> record) {
    String alias = aliases.get(new TopicPartition(record.topic(), record.partition()));
    positions.put(alias, record.offset() + 1);
    eventsConsumed.incrementAndGet();
    EventMessage event;
    try {
      // A tombstone (null value) or the JSON literal null reads as no event at all.
      event = record.value() == null ? null : Json.read(record.value(), EventMessage.class);
    } catch (JacksonException | IllegalArgumentException e) {
      event = null;
    }
    if (event == null) {
      log.warn("Skipping unreadable event at {}-{}@{}", record.topic(), record.partition(), record.offset());
      return;
    }
    if (event.eventId() != null && recentEventIds.put(event.eventId(), Boolean.TRUE) != null) {
      duplicatesDropped.incrementAndGet();
      log.debug("Dropping republished event {} at {}-{}@{}", event.eventId(), record.topic(), record.partition(),
          record.offset());
      return;
    }
    String source = EventRouting.source(alias);
    String traceparent = traceparent(record);
    if (EventRouting.isBroadcast(source, event)) {
      deliver(registry.sessions(), Outgoing.event(
          Envelope.reply(event.type(), event.data(), null, traceparent), record.timestamp()));
      return;
    }
    List<String> clientTopics = EventRouting.topics(source, event);
    if (clientTopics.isEmpty()) {
      log.warn("Skipping event of unknown type or shape {} ({}) at {}-{}@{}", event.type(), event.eventId(),
          record.topic(), record.partition(), record.offset());
      return;
    }
    String cursor = null;
    for (String topic : clientTopics) {
      Set<Session> subscribers = registry.subscribers(topic);
      if (subscribers.isEmpty()) {
        continue;
      }
      if (cursor == null) {
        cursor = new Cursor(positions).encode();
      }
      Outgoing frame = Outgoing.event(
          Envelope.delivery(event.type(), event.data(), topic, cursor, event.eventId(), traceparent),
          record.timestamp());
      for (Session session : subscribers) {
        if (session.deliver(topic, frame)) {
          framesDelivered.incrementAndGet();
        }
      }
    }
  }

  /** The record's W3C trace context (services copy the command's onto its events), or null. */
  static String traceparent(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(KafkaHeaderNames.TRACEPARENT);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void deliver(Iterable<Session> sessions, Outgoing frame) {
    for (Session session : sessions) {
      if (session.offer(frame)) {
        framesDelivered.incrementAndGet();
      }
    }
  }
}
