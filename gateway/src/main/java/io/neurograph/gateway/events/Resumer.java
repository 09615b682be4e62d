package io.neurograph.gateway.events;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.session.Outgoing;
import io.neurograph.gateway.session.ResumeGate;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;

/**
 * {@code subscribe {topic, since}}: replays, from Kafka, every event of the topic after the cursor, then
 * hands over to the live stream at an exact seam. A replay reads with its own consumer on its own thread
 * and goes at the pace the client reads, so it never holds up live delivery to anyone else.
 */
@Component
public class Resumer implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Resumer.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int RECENT_EVENT_IDS = 32_768;

  private final ConsumerFactory<String, String> consumers;
  private final EventStream events;
  private final SessionRegistry registry;
  private final GatewayProperties.Resume settings;
  private final Scheduler scheduler;
  private final AtomicLong resumed = new AtomicLong();
  private final AtomicLong notResumed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong eventsReplayed = new AtomicLong();
  private final AtomicLong consumerIds = new AtomicLong();

  /** Creates the resumer with its own bounded pool of replay threads. */
  public Resumer(ConsumerFactory<String, String> consumers, EventStream events, SessionRegistry registry,
      GatewayProperties properties) {
    this.consumers = consumers;
    this.events = events;
    this.registry = registry;
    this.settings = properties.resume();
    this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrent(), settings.maxWaiting(), "gateway-resume");
  }

  /**
   * How a resume starts.
   *
   * @param resumed whether every event after the cursor is still in Kafka and will be replayed
   * @param cursor the position the subscription starts from
   */
  public record Start(boolean resumed, String cursor) {}

  /** A resume that could not go on; the message is safe to show to the client. */
  public static final class ResumeFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResumeFailed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Resumes a subscription reserved with {@code gate}: calls {@code onStart} (before any replayed event),
   * replays, then releases the gate. Fails with {@link ResumeFailed} when the resume cannot go on.
   */
  public Mono<Void> resume(Session session, String topic, Cursor from, ResumeGate gate, Consumer<Start> onStart) {
    return Mono.<Void>fromRunnable(() -> run(session, topic, from, gate, onStart))
        .subscribeOn(scheduler)
        .onErrorMap(RejectedExecutionException.class,
            e -> new ResumeFailed("Too many resumes in progress on this instance; try again shortly"))
        .onErrorMap(e -> !(e instanceof ResumeFailed), e -> {
          log.warn("Resume of {} for {} failed: {}", topic, session.connectionId(), e.toString());
          return new ResumeFailed(e instanceof KafkaException
              ? "Resume interrupted: Kafka is unavailable; subscribe again with the cursor of the last event you received"
              : "Resume interrupted; subscribe again with the cursor of the last event you received");
        })
        .doOnError(e -> failed.incrementAndGet());
  }

  private void run(Session session, String topic, Cursor from, ResumeGate gate, Consumer<Start> onStart) {
    try {
      runUnchecked(session, topic, from, gate, onStart);
    } catch (RuntimeException e) {
      if (gate.isCancelled()) {
        // The client left (or unsubscribed) mid-replay; whatever broke off is of no interest to anyone.
        log.debug("Resume of {} for {} ended with its subscription: {}", topic, session.connectionId(), e.toString());
        return;
      }
      throw e;
    }
  }

  private void runUnchecked(Session session, String topic, Cursor from, ResumeGate gate, Consumer<Start> onStart) {
    Map<String, TopicPartition> relevant = new TreeMap<>();
    Set<String> sources = EventRouting.sourcesFor(topic);
    events.partitions().forEach((alias, partition) -> {
      if (sources.contains(EventRouting.source(alias))) {
        relevant.put(alias, partition);
      }
    });
    Properties overrides = new Properties();
    // Bounded: a replay holds at most one poll of small records in memory.
    overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    overrides.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
    overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(1024 * 1024));
    try (org.apache.kafka.clients.consumer.Consumer<String, String> consumer =
        consumers.createConsumer(null, "gateway-resume", "-" + consumerIds.incrementAndGet(), overrides)) {
      Map<TopicPartition, Long> first = consumer.beginningOffsets(relevant.values(), KAFKA_TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(relevant.values(), KAFKA_TIMEOUT);
      Map<String, Long> start = new TreeMap<>();
      boolean complete = true;
      for (Map.Entry<String, TopicPartition> entry : relevant.entrySet()) {
        long earliest = first.getOrDefault(entry.getValue(), 0L);
        long latest = end.getOrDefault(entry.getValue(), 0L);
        Long position = from.next().get(entry.getKey());
        if (position == null) {
          // A partition the cursor does not know (added later): complete only if it never lost a record.
          position = 0L;
        }
        if (position < earliest || position > latest) {
          complete = false;
        }
        start.put(entry.getKey(), position);
      }
      if (!complete) {
        Cursor live = events.atSeam(seam -> registry.activate(session, topic, gate) ? seam : null);
        if (live != null) {
          notResumed.incrementAndGet();
          onStart.accept(new Start(false, live.encode()));
          gate.release();
        }
        return;
      }
      Cursor startCursor = new Cursor(merge(from.next(), start));
      if (!events.awaitReached(new Cursor(start), settings.catchUpTimeout())) {
        throw new ResumeFailed("This instance is behind the cursor; try again shortly");
      }
      Cursor live = events.atSeam(seam -> registry.activate(session, topic, gate) ? seam : null);
      if (live == null) {
        return;
      }
      resumed.incrementAndGet();
      onStart.accept(new Start(true, startCursor.encode()));
      replay(consumer, session, topic, gate, relevant, startCursor, live);
      gate.release();
    }
  }

  private static Map<String, Long> merge(Map<String, Long> base, Map<String, Long> over) {
    Map<String, Long> merged = new HashMap<>(base);
    merged.putAll(over);
    return merged;
  }

  /** Delivers the topic's events in [start, live) of every relevant partition, at the client's pace. */
  private void replay(org.apache.kafka.clients.consumer.Consumer<String, String> consumer, Session session, String topic,
      ResumeGate gate, Map<String, TopicPartition> relevant, Cursor start, Cursor live) {
    Map<TopicPartition, Long> stopAt = new HashMap<>();
    Map<TopicPartition, String> aliases = new HashMap<>();
    List<TopicPartition> assigned = new ArrayList<>();
    relevant.forEach((alias, partition) -> {
      long from = start.next().get(alias);
      long to = live.next().getOrDefault(alias, from);
      if (from < to) {
        stopAt.put(partition, to);
        aliases.put(partition, alias);
        assigned.add(partition);
      }
    });
    if (assigned.isEmpty()) {
      return;
    }
    consumer.assign(assigned);
    assigned.forEach(partition -> consumer.seek(partition, start.next().get(aliases.get(partition))));
    Map<String, Long> positions = new HashMap<>(start.next());
    Set<TopicPartition> remaining = new HashSet<>(assigned);
    // A relay that crashed may have published an event twice; the live stream drops such repeats, so must this.
    Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > RECENT_EVENT_IDS;
      }
    };
    long lastProgress = System.nanoTime();
    while (!remaining.isEmpty()) {
      if (gate.isCancelled()) {
        return;
      }
      ConsumerRecords<String, String> records = consumer.poll(POLL);
      for (ConsumerRecord<String, String> record : records) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long stop = stopAt.get(partition);
        if (record.offset() >= stop) {
          continue;
        }
        String alias = aliases.get(partition);
        positions.put(alias, record.offset() + 1);
        Outgoing frame = frame(alias, record, topic, seen, positions);
        if (frame != null) {
          if (!session.awaitRoom() || gate.isCancelled() || !session.offer(frame)) {
            return;
          }
          eventsReplayed.incrementAndGet();
        }
      }
      boolean progressed = !records.isEmpty();
      for (TopicPartition partition : List.copyOf(remaining)) {
        if (consumer.position(partition) >= stopAt.get(partition)) {
          remaining.remove(partition);
          consumer.pause(List.of(partition));
        }
      }
      if (progressed) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > settings.stallTimeout().toNanos()) {
        throw new ResumeFailed("Resume interrupted: Kafka is not answering; subscribe again with the cursor of the "
            + "last event you received");
      }
    }
  }

  /** The delivery of one replayed record on {@code topic}, or null when it does not belong there. */
  private static Outgoing frame(String alias, ConsumerRecord<String, String> record, String topic,
      Map<String, Boolean> seen, Map<String, Long> positions) {
    EventMessage event;
    try {
      event = record.value() == null ? null : Json.read(record.value(), EventMessage.class);
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
    if (event == null) {
      return null;
    }
    if (event.eventId() != null && seen.put(event.eventId(), Boolean.TRUE) != null) {
      return null;
    }
    if (!EventRouting.topics(EventRouting.source(alias), event).contains(topic)) {
      return null;
    }
    return Outgoing.of(Envelope.delivery(event.type(), event.data(), topic, new Cursor(positions).encode(),
        event.eventId(), EventStream.traceparent(record)));
  }

  /** Resumes that replayed since start. */
  public long resumed() {
    return resumed.get();
  }

  /** Resumes that could not replay (cursor beyond retention or unknown) and started live. */
  public long notResumed() {
    return notResumed.get();
  }

  /** Resumes refused or interrupted. */
  public long failed() {
    return failed.get();
  }

  /** Events delivered by replays since start. */
  public long eventsReplayed() {
    return eventsReplayed.get();
  }

  @Override
  public void destroy() {
    scheduler.dispose();
  }
}
