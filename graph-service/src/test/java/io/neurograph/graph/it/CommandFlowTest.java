package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.it.GatewayDouble.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.TemporalUnitWithinOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Commands end to end: replies, events, rows, dedupe, refusals. */
@ExtendWith(OutputCaptureExtension.class)
class CommandFlowTest extends SharedContextTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Test
  void connectRepliesWithTheFullEdgeAndPublishesOneCloudEventKeyedBySource(CapturedOutput output) {
    TokenId source = TokenId.random();
    TokenId target = TokenId.random();
    gateway.created(source, target);
    CommandMessage command = gateway.command("graph.connect", Payloads.connect(source, target, "association"));
    gateway.send(source.toString(), command, Map.of(KafkaHeaderNames.TRACEPARENT, TRACEPARENT));

    Received<ReplyMessage> reply = gateway.awaitReply(command.requestId());
    assertThat(reply.record().key()).isEqualTo(gateway.replyTo());
    assertThat(reply.value().type()).isEqualTo("graph.connected");
    assertThat(reply.value().replyKey()).isEqualTo(command.replyKey());
    assertThat(reply.value().commandId()).isEqualTo(command.commandId());
    assertThat(reply.header(KafkaHeaderNames.MESSAGE_TYPE)).isEqualTo("graph.connected");
    assertThat(reply.header(KafkaHeaderNames.REQUEST_ID)).isEqualTo(command.requestId());
    // The service's span continues the trace: same trace id, its own span id, still sampled.
    String traceparent = reply.header(KafkaHeaderNames.TRACEPARENT);
    assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01").isNotEqualTo(TRACEPARENT);

    Edge edge = Json.convert(reply.value().payload(), Edge.class);
    ConnectionId id = ConnectionId.derivedFrom(command.commandId());
    assertThat(edge.connectionId()).isEqualTo(id);
    assertThat(edge.sourceId()).isEqualTo(source);
    assertThat(edge.targetId()).isEqualTo(target);
    assertThat(edge.type()).isEqualTo("association");
    assertThat(edge.weight()).isEqualTo(0.75);
    assertThat(edge.bidirectional()).isTrue();
    assertThat(edge.decayRate()).isEqualTo(0.01);
    assertThat(edge.metadata()).isEqualTo(Payloads.object("{\"n\":1,\"source\":\"golden\"}"));
    assertThat(edge.createdAt()).isCloseTo(Instant.now(), new TemporalUnitWithinOffset(1, ChronoUnit.MINUTES));
    assertThat(edge.createdAt().getNano() % 1000).as("microsecond precision").isZero();

    Received<EventMessage> event = gateway.awaitEvents(id.toString(), 1).get(0);
    EventMessage value = event.value();
    assertThat(event.record().key()).as("graph events are keyed by source token").isEqualTo(source.toString());
    assertThat(value.type()).isEqualTo("graph.connected");
    assertThat(value.version()).isEqualTo(1);
    assertThat(value.source()).isEqualTo("neurograph/graph-service");
    assertThat(value.subject()).isEqualTo(id.toString());
    assertThat(value.correlationId()).isEqualTo(command.requestId());
    assertThat(value.occurredAt()).isEqualTo(edge.createdAt());
    assertThat(value.data()).isEqualTo(reply.value().payload());
    assertThat(event.headers()).containsAllEntriesOf(Map.of(
        "ce_id", value.eventId(),
        "ce_type", "graph.connected",
        "ce_source", "neurograph/graph-service",
        "ce_specversion", "1.0",
        "ce_time", value.occurredAt().toString(),
        "ce_subject", id.toString(),
        "content-type", "application/json",
        "traceparent", traceparent));
    // The test log pattern prints the MDC trace id in brackets (production: the ECS JSON field "traceId").
    // The line is written once the reply is acknowledged by the broker, which can be after the reply arrived here.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> assertThat(output.getOut())
        .as("the request line carries the trace id")
        .contains("[" + TRACE_ID + "] neurograph.requests - graph.connect " + command.requestId() + " -> ok in "));

    assertThat(SQL.text("SELECT created_by FROM edges WHERE connection_id = ?", id.value())).isEqualTo("alice");
    await().atMost(GatewayDouble.WAIT).until(
        () -> SQL.number("SELECT count(*) FROM outbox WHERE subject = ?", id.toString()) == 0);
  }

  @Test
  void connectingAnUnknownTokenIsNotFoundNamingIt() {
    TokenId known = TokenId.random();
    TokenId unknown = TokenId.random();
    gateway.created(known);

    ErrorPayload target = error(connect(known, unknown, "t"));
    assertThat(target.code().name()).isEqualTo("NOT_FOUND");
    assertThat(target.message()).isEqualTo("Target token " + unknown + " not found");

    ErrorPayload source = error(connect(unknown, known, "t"));
    assertThat(source.code().name()).isEqualTo("NOT_FOUND");
    assertThat(source.message()).isEqualTo("Source token " + unknown + " not found");
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ? OR target_id = ?", known.value(),
        known.value())).isZero();
  }

  @Test
  void aSecondEdgeWithTheSameEndsAndTypeIsAConflictNamingTheFirst() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    gateway.created(a, b);
    Edge first = Json.convert(connect(a, b, "same").payload(), Edge.class);

    ReplyMessage twin = connect(a, b, "same");
    ErrorPayload error = error(twin);
    assertThat(error.code().name()).isEqualTo("CONFLICT");
    assertThat(error.message()).contains(first.connectionId().toString());
    assertThat(error.originalMessageId()).isEqualTo(twin.requestId());

    assertThat(connect(a, b, "other").type()).as("another type").isEqualTo("graph.connected");
    assertThat(connect(b, a, "same").type()).as("the other direction").isEqualTo("graph.connected");
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ? OR target_id = ?", a.value(), a.value()))
        .isEqualTo(3);
  }

  @Test
  void aResentConnectGetsTheOriginalReplyAndMakesNoSecondEdgeOrEvent() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    gateway.created(a, b);
    CommandMessage first = gateway.command("graph.connect", Payloads.connect(a, b, "dedupe"));
    ReplyMessage original = gateway.request(a.toString(), first).value();

    CommandMessage again = new CommandMessage(first.commandId(), first.type(), first.requestId(), first.clientId(),
        first.principal(), first.replyTo(), "another-reply-key", Instant.now(), first.payload());
    ReplyMessage repeated = gateway.request(a.toString(), again).value();

    assertThat(repeated.type()).isEqualTo("graph.connected");
    assertThat(repeated.payload()).isEqualTo(original.payload());
    assertThat(repeated.replyKey()).isEqualTo("another-reply-key");
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ?", a.value())).isEqualTo(1);

    // The events of an edge are published in order: once the disconnect's event is there, a second
    // graph.connected would have been seen before it.
    ConnectionId id = ConnectionId.derivedFrom(first.commandId());
    gateway.request(a.toString(), gateway.command("graph.disconnect", Payloads.disconnect(id)));
    gateway.awaitEvents(id.toString(), 2);
    assertThat(gateway.eventsOf(id.toString())).extracting(e -> e.value().type())
        .containsExactly("graph.connected", "graph.disconnected");
  }

  @Test
  void aRequestIdReusedForAnotherCommandIsAConflict() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    gateway.created(a, b);
    CommandMessage connect = gateway.command("graph.connect", Payloads.connect(a, b, "reuse"));
    gateway.request(a.toString(), connect);

    CommandMessage disconnect = new CommandMessage(connect.commandId(), "graph.disconnect", connect.requestId(),
        connect.clientId(), null, connect.replyTo(), "rk", Instant.now(),
        Json.tree(Payloads.disconnect(ConnectionId.derivedFrom(connect.commandId()))));
    ErrorPayload error = error(gateway.request(a.toString(), disconnect).value());

    assertThat(error.code().name()).isEqualTo("CONFLICT");
    assertThat(error.message()).isEqualTo("request id already used for another command");
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ?", a.value())).isEqualTo(1);
  }

  @Test
  void disconnectRemovesTheEdgeAndPublishesGraphDisconnectedRequested() {
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    gateway.created(a, b);
    Edge edge = Json.convert(connect(a, b, "to-remove").payload(), Edge.class);

    CommandMessage command = gateway.command("graph.disconnect", Payloads.disconnect(edge.connectionId()));
    ReplyMessage reply = gateway.request(edge.connectionId().toString(), command).value();

    assertThat(reply.type()).isEqualTo("graph.disconnected");
    assertThat(Json.convert(reply.payload(), GraphDisconnected.class))
        .isEqualTo(new GraphDisconnected(edge.connectionId(), a, b, "requested"));
    List<Received<EventMessage>> events = gateway.awaitEvents(edge.connectionId().toString(), 2);
    assertThat(events).extracting(e -> e.value().type()).containsExactly("graph.connected", "graph.disconnected");
    Received<EventMessage> disconnected = events.get(1);
    assertThat(disconnected.record().key()).isEqualTo(a.toString());
    assertThat(disconnected.value().data()).isEqualTo(reply.payload());
    assertThat(disconnected.value().correlationId()).isEqualTo(command.requestId());
    assertThat(disconnected.header("ce_subject")).isEqualTo(edge.connectionId().toString());
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE connection_id = ?", edge.connectionId().value())).isZero();
  }

  @Test
  void disconnectingAnUnknownConnectionIsNotFound() {
    ConnectionId unknown = new ConnectionId(UUID.randomUUID());
    CommandMessage command = gateway.command("graph.disconnect", Payloads.disconnect(unknown));

    ErrorPayload error = error(gateway.request(unknown.toString(), command).value());

    assertThat(error.code().name()).isEqualTo("NOT_FOUND");
    assertThat(error.message()).isEqualTo("unknown connection_id " + unknown);
    assertThat(error.originalMessageId()).isEqualTo(command.requestId());
  }

  @Test
  void aRowLeftInTheOutboxByACrashIsPublishedByThePoll() {
    String source = TokenId.random().toString();
    String subject = UUID.randomUUID().toString();
    String eventId = UUID.randomUUID().toString();
    String value = "{\"event_id\":\"" + eventId + "\",\"type\":\"graph.disconnected\",\"version\":1,"
        + "\"occurred_at\":\"2026-11-26T10:00:00Z\",\"source\":\"neurograph/graph-service\",\"subject\":\""
        + subject + "\",\"correlation_id\":\"crashed\",\"data\":{\"connection_id\":\"" + subject
        + "\",\"source_id\":\"" + source + "\",\"target_id\":\"" + TokenId.random() + "\",\"reason\":\"requested\"}}";
    SQL.update("INSERT INTO outbox (event_id, topic, message_key, subject, event_type, value, occurred_at)"
            + " VALUES (?::uuid, ?, ?, ?, 'graph.disconnected', ?, '2026-11-26T10:00:00Z')",
        eventId, TOPICS.graphEvents(), source, subject, value);

    Received<EventMessage> event = gateway.awaitEvents(subject, 1).get(0);

    assertThat(new String(event.record().value(), StandardCharsets.UTF_8)).isEqualTo(value);
    assertThat(event.record().key()).isEqualTo(source);
    assertThat(event.header("ce_id")).isEqualTo(eventId);
    assertThat(event.header("ce_time")).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(event.header("traceparent")).isNull();
    await().atMost(GatewayDouble.WAIT).until(
        () -> SQL.number("SELECT count(*) FROM outbox WHERE subject = ?", subject) == 0);
  }

  @Test
  void commandAndEventIdsOlderThanTheDedupeWindowAreForgotten() {
    String old = "client/old-" + UUID.randomUUID();
    String recent = "client/recent-" + UUID.randomUUID();
    SQL.update("INSERT INTO processed_commands (command_id, command_type, reply_type, reply, processed_at)"
        + " VALUES (?, 'graph.connect', 'error', '{}', now() - interval '2 minutes')", old);
    SQL.update("INSERT INTO processed_commands (command_id, command_type, reply_type, reply)"
        + " VALUES (?, 'graph.connect', 'error', '{}')", recent);
    UUID oldEvent = UUID.randomUUID();
    SQL.update("INSERT INTO processed_events (event_id, processed_at) VALUES (?, now() - interval '2 minutes')",
        oldEvent);

    await().atMost(Duration.ofSeconds(30)).until(
        () -> SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", old) == 0
            && SQL.number("SELECT count(*) FROM processed_events WHERE event_id = ?", oldEvent) == 0);
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", recent)).isEqualTo(1);
  }

  private ReplyMessage connect(TokenId source, TokenId target, String type) {
    return gateway.request(source.toString(), gateway.command("graph.connect", Payloads.connect(source, target, type)))
        .value();
  }

  private static ErrorPayload error(ReplyMessage reply) {
    assertThat(reply.type()).isEqualTo("error");
    return Json.convert(reply.payload(), ErrorPayload.class);
  }
}
