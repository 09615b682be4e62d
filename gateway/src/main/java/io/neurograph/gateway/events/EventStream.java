package io.neurograph.gateway.events;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.gateway.kafka.AssignedConsumer;
import io.neurograph.gateway.kafka.PartitionProbe;
import io.neurograph.gateway.session.Outgoing;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads every event source once for this whole instance (never once per client) and fans each event out
 * to the local subscribers of the client topics it belongs to. One consumer thread, assigned every
 * partition explicitly (no consumer group: each instance needs all events), starting at the end offsets
 * read at start-up; every delivery carries the cursor after it.
 */
@Component
public class EventStream implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final String TOKEN_EVENTS = "t";
  private static final String GRAPH_EVENTS = "g";
  private static final String SYSTEM_EVENTS = "s";
  /** How many recent event ids are remembered to drop republished duplicates (a few MB). */
  static final int RECENT_EVENT_IDS = 32_768;

  private final ConsumerFactory<String, String> consumers;
  private final Topics topics;
  private final SessionRegistry registry;
  private final Duration startupTimeout = Duration.ofSeconds(60);
  private final Map<TopicPartition, String> aliases = new HashMap<>();
  // Only the consumer thread writes positions; other threads read the published cursor text.
  private final Map<String, Long> positions = new HashMap<>();
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
        topics.tokenEvents(), TOKEN_EVENTS, topics.graphEvents(), GRAPH_EVENTS, topics.systemEvents(), SYSTEM_EVENTS);
    List<TopicPartition> partitions =
        probe.partitions(List.of(topics.tokenEvents(), topics.graphEvents(), topics.systemEvents()));
    Map<TopicPartition, Long> ends = probe.endOffsets(partitions);
    TopicPartitionOffset[] assignment = new TopicPartitionOffset[partitions.size()];
    for (int i = 0; i < partitions.size(); i++) {
      TopicPartition tp = partitions.get(i);
      String alias = topicAliases.get(tp.topic()) + tp.partition();
      aliases.put(tp, alias);
      long end = ends.getOrDefault(tp, 0L);
      positions.put(alias, end);
      assignment[i] = new TopicPartitionOffset(tp.topic(), tp.partition(), end);
    }
    currentCursor = new Cursor(positions).encode();
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

  private void onBatch(List<ConsumerRecord<String, String>> records) {
    for (ConsumerRecord<String, String> record : records) {
      String alias = aliases.get(new TopicPartition(record.topic(), record.partition()));
      positions.put(alias, record.offset() + 1);
      eventsConsumed.incrementAndGet();
      EventMessage event;
      try {
        event = Json.read(record.value(), EventMessage.class);
      } catch (JacksonException | IllegalArgumentException e) {
        log.warn("Skipping unreadable event at {}-{}@{}", record.topic(), record.partition(), record.offset());
        continue;
      }
      if (event.eventId() != null && recentEventIds.put(event.eventId(), Boolean.TRUE) != null) {
        duplicatesDropped.incrementAndGet();
        log.debug("Dropping republished event {} at {}-{}@{}", event.eventId(), record.topic(), record.partition(),
            record.offset());
        continue;
      }
      if (alias.startsWith(TOKEN_EVENTS)) {
        deliverServiceEvent(event, tokenEventTopics(event));
      } else if (alias.startsWith(GRAPH_EVENTS)) {
        deliverServiceEvent(event, graphEventTopics(event));
      } else {
        deliverOperatorMessage(event);
      }
    }
    currentCursor = new Cursor(positions).encode();
  }

  /** A token event goes to {@code tokens} and the token's own topic. */
  private static List<String> tokenEventTopics(EventMessage event) {
    return event.subject() == null ? List.of() : ClientTopics.forTokenEvent(event.subject());
  }

  /** A graph event goes to {@code graph} and the topics of both end tokens, named in its data. */
  private static List<String> graphEventTopics(EventMessage event) {
    JsonNode data = event.data();
    JsonNode source = data == null ? null : data.get("source_id");
    JsonNode target = data == null ? null : data.get("target_id");
    if (source == null || target == null || !source.isString() || !target.isString()) {
      return List.of();
    }
    return ClientTopics.forGraphEvent(source.stringValue(), target.stringValue());
  }

  private void deliverServiceEvent(EventMessage event, List<String> clientTopics) {
    boolean deliverable = MessageRegistry.server(event.type())
        .map(type -> type.kinds().contains(ServerMessageType.Kind.EVENT))
        .orElse(false);
    if (!deliverable || clientTopics.isEmpty()) {
      log.warn("Skipping event of unknown type or shape {} ({})", event.type(), event.eventId());
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
      deliver(subscribers, Outgoing.of(Envelope.delivery(event.type(), event.data(), topic, cursor)));
    }
  }

  private void deliverOperatorMessage(EventMessage event) {
    if ("system.broadcast".equals(event.type())) {
      deliver(registry.sessions(), Outgoing.of(Envelope.notice(event.type(), event.data())));
    } else if ("system.message".equals(event.type()) && event.subject() != null) {
      Set<Session> subscribers = registry.subscribers(event.subject());
      if (!subscribers.isEmpty()) {
        String cursor = new Cursor(positions).encode();
        deliver(subscribers, Outgoing.of(Envelope.delivery(event.type(), event.data(), event.subject(), cursor)));
      }
    } else {
      log.warn("Skipping operator message of unknown type {}", event.type());
    }
  }

  private void deliver(Iterable<Session> sessions, Outgoing frame) {
    for (Session session : sessions) {
      if (session.offer(frame)) {
        framesDelivered.incrementAndGet();
      }
    }
  }
}
