package io.neurograph.graph.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.kafka.PoisonRecordException;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.store.RemovedEdge;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TokenEventsTest {

  @Test
  void theGoldenTokenEventIsReadWithItsPosition() {
    TokenEvent event = TokenEvents.parse(record(GoldenSamples.kafka("event")));

    assertThat(event.topic()).isEqualTo("t.tokens.events");
    assertThat(event.partition()).isEqualTo(2);
    assertThat(event.offset()).isEqualTo(41);
    assertThat(event.eventId()).isEqualTo(UUID.fromString("0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b"));
    assertThat(event.type()).isEqualTo("token.created");
    assertThat(event.tokenId()).isEqualTo(TokenId.of("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17"));
    assertThat(event.correlationId()).isEqualTo("msg-create-1");
    assertThat(event.isProjected()).isTrue();
  }

  @Test
  void aDeletionNamesItsTokenInDataWhenItHasNoSubject() {
    String id = TokenId.random().toString();
    TokenEvent event = TokenEvents.parse(record("{\"event_id\":\"" + UUID.randomUUID()
        + "\",\"type\":\"token.deleted\",\"data\":{\"token_id\":\"" + id + "\"}}"));

    assertThat(event.tokenId()).isEqualTo(TokenId.of(id));
  }

  @Test
  void otherEventTypesAreReadButNotProjected() {
    TokenEvent event = TokenEvents.parse(record("{\"type\":\"token.renamed\",\"subject\":\"whatever\"}"));

    assertThat(event.isProjected()).isFalse();
    assertThat(event.tokenId()).isNull();
  }

  @Test
  void eventsTheProjectionCannotPlaceArePoison() {
    String token = TokenId.random().toString();
    for (String value : new String[] {
      "not json", "[]", "42", "{}", "{\"type\":\"\"}",
      "{\"type\":\"token.deleted\",\"subject\":\"" + token + "\"}",
      "{\"event_id\":\"nope\",\"type\":\"token.deleted\",\"subject\":\"" + token + "\"}",
      "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"token.created\"}",
      "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"token.created\",\"subject\":\"x\"}"
    }) {
      assertThatThrownBy(() -> TokenEvents.parse(record(value))).as(value).isInstanceOf(PoisonRecordException.class);
    }
    assertThatThrownBy(() -> TokenEvents.parse(new ConsumerRecord<>("t", 0, 0, "k", null)))
        .isInstanceOf(PoisonRecordException.class);
  }

  @Test
  void everyRemovedEdgeBecomesOneTokenDeletedDisconnection() {
    TokenId deleted = TokenId.random();
    TokenId other = TokenId.random();
    Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
    var out = new RemovedEdge(new ConnectionId(UUID.randomUUID()), deleted, other, at);
    var in = new RemovedEdge(new ConnectionId(UUID.randomUUID()), other, deleted, at);

    List<PendingEvent> events = TokenProjection.disconnectedEvents(List.of(out, in));

    assertThat(events).extracting(PendingEvent::type).containsOnly("graph.disconnected");
    assertThat(events).extracting(PendingEvent::key).containsExactly(deleted, other);
    assertThat(events).extracting(PendingEvent::subject).containsExactly(out.connectionId(), in.connectionId());
    assertThat(events.get(1).data()).isEqualTo(
        new GraphDisconnected(in.connectionId(), other, deleted, GraphDisconnected.TOKEN_DELETED));
    assertThat(Json.tree(events.get(1).data()).get("reason").stringValue()).isEqualTo("token_deleted");
    assertThat(events.get(0).occurredAt()).isEqualTo(at);
  }

  private static ConsumerRecord<String, byte[]> record(String value) {
    return new ConsumerRecord<>("t.tokens.events", 2, 41, "k", value.getBytes(StandardCharsets.UTF_8));
  }
}
