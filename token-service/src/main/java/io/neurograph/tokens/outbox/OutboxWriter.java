package io.neurograph.tokens.outbox;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.Topics;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes events into the {@code outbox} table inside the caller's transaction, so a change and its
 * events commit together. The event is serialized here, once: its id is fixed and the relay publishes
 * the stored bytes, so a re-publish is byte-identical.
 */
@Component
public class OutboxWriter {

  /** The {@code source} of every event this service emits. */
  public static final String SOURCE = "neurograph/token-service";

  private final DatabaseClient db;
  private final Topics topics;
  private final OutboxRelay relay;

  OutboxWriter(DatabaseClient db, Topics topics, OutboxRelay relay) {
    this.db = db;
    this.topics = topics;
    this.relay = relay;
  }

  /** Appends the events of one command, in order; emits the outbox row ids. */
  public Mono<List<Long>> append(List<PendingEvent> events, String correlationId, String traceparent) {
    return Flux.fromIterable(events).concatMap(event -> insert(event, correlationId, traceparent)).collectList();
  }

  /**
   * After the transaction that wrote these rows committed: has the relay publish them now and completes
   * once Kafka acknowledged them. A reply sent after this is never seen before its events are in the log,
   * so a consumer of the events (graph-service's token projection) can catch up to anything a client was
   * told about. Completes empty after {@code neurograph.tokens.outbox.reply-wait} in any case: the rows
   * stay in the outbox and are published later, so a slow Kafka delays replies but never loses events.
   */
  public Mono<Void> published(List<Long> rowIds) {
    return relay.awaitPublished(rowIds);
  }

  private Mono<Long> insert(PendingEvent event, String correlationId, String traceparent) {
    UUID eventId = UUID.randomUUID();
    EventMessage message = new EventMessage(
        eventId.toString(), event.type(), EventMessage.CURRENT_VERSION, event.occurredAt(), SOURCE,
        event.subject().toString(), correlationId, Json.tree(event.data()));
    var spec = db.sql("INSERT INTO outbox (event_id, topic, message_key, event_type, value, traceparent, occurred_at)"
            + " VALUES (:eventId, :topic, :key, :type, :value, :traceparent, :occurredAt) RETURNING id")
        .bind("eventId", eventId)
        .bind("topic", topics.tokenEvents())
        .bind("key", event.subject().toString())
        .bind("type", event.type())
        .bind("value", Json.write(message))
        .bind("occurredAt", OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC));
    spec = traceparent == null ? spec.bindNull("traceparent", String.class) : spec.bind("traceparent", traceparent);
    return spec.map(row -> row.get("id", Long.class)).one();
  }
}
