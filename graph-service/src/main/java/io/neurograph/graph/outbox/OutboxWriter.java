package io.neurograph.graph.outbox;

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
 * Writes graph events into the {@code outbox} table inside the caller's transaction, so a change and its
 * events commit together. The event is serialized here, once: its id is fixed and the relay publishes
 * the stored bytes, so a re-publish is byte-identical.
 */
@Component
public class OutboxWriter {

  /** The {@code source} of every event this service emits. */
  public static final String SOURCE = "neurograph/graph-service";

  private final DatabaseClient db;
  private final Topics topics;
  private final OutboxRelay relay;

  OutboxWriter(DatabaseClient db, Topics topics, OutboxRelay relay) {
    this.db = db;
    this.topics = topics;
    this.relay = relay;
  }

  /** Appends the events of one change, in order; {@code correlationId} is the request id that caused them. */
  public Mono<Void> append(List<PendingEvent> events, String correlationId, String traceparent) {
    return Flux.fromIterable(events).concatMap(event -> insert(event, correlationId, traceparent)).then();
  }

  /** Tells the relay that a transaction with outbox rows committed, so it publishes them now. */
  public void committed() {
    relay.wakeUp();
  }

  private Mono<Long> insert(PendingEvent event, String correlationId, String traceparent) {
    UUID eventId = UUID.randomUUID();
    EventMessage message = new EventMessage(
        eventId.toString(), event.type(), EventMessage.CURRENT_VERSION, event.occurredAt(), SOURCE,
        event.subject().toString(), correlationId, Json.tree(event.data()));
    var spec = db.sql("INSERT INTO outbox (event_id, topic, message_key, subject, event_type, value, traceparent,"
            + " occurred_at) VALUES (:eventId, :topic, :key, :subject, :type, :value, :traceparent, :occurredAt)")
        .bind("eventId", eventId)
        .bind("topic", topics.graphEvents())
        .bind("key", event.key().toString())
        .bind("subject", event.subject().toString())
        .bind("type", event.type())
        .bind("value", Json.write(message))
        .bind("occurredAt", OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC));
    spec = traceparent == null ? spec.bindNull("traceparent", String.class) : spec.bind("traceparent", traceparent);
    return spec.fetch().rowsUpdated();
  }
}
