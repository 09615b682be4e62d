package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenCreate;
import io.neurograph.contracts.tokens.TokenDelete;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.contracts.tokens.Vector8;
import io.neurograph.tokens.it.GatewayDouble.Received;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Commands end to end: replies, events, rows, dedupe, refusals, order. */
@ExtendWith(OutputCaptureExtension.class)
class CommandFlowTest extends SharedContextTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Test
  void createRepliesWithTheFullTokenAndPublishesOneCloudEvent(CapturedOutput output) {
    TokenId id = TokenId.random();
    CommandMessage command = gateway.command("token.create", Payloads.create(id, "demo"));
    gateway.send(id.toString(), command, Map.of(KafkaHeaderNames.TRACEPARENT, TRACEPARENT));

    Received<ReplyMessage> reply = gateway.awaitReply(command.requestId());
    assertThat(reply.record().key()).isEqualTo(gateway.replyTo());
    assertThat(reply.value().type()).isEqualTo("token.created");
    assertThat(reply.value().replyKey()).isEqualTo(command.replyKey());
    assertThat(reply.value().commandId()).isEqualTo(command.commandId());
    assertThat(reply.header(KafkaHeaderNames.MESSAGE_TYPE)).isEqualTo("token.created");
    assertThat(reply.header(KafkaHeaderNames.REQUEST_ID)).isEqualTo(command.requestId());
    // The service's span continues the trace: same trace id, its own span id, still sampled.
    String traceparent = reply.header(KafkaHeaderNames.TRACEPARENT);
    assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01").isNotEqualTo(TRACEPARENT);

    Token token = Json.convert(reply.value().payload(), Token.class);
    assertThat(token.tokenId()).isEqualTo(id);
    assertThat(token.type()).isEqualTo("demo");
    assertThat(token.coordX()).isEqualTo(Vector8.of(1.0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(token.coordZ().at(7)).isEqualTo(-2.25);
    assertThat(token.flags()).isEqualTo(3);
    assertThat(token.weight()).isEqualTo(1.5);
    assertThat(token.metadata()).isEqualTo(Payloads.object("{\"source\":\"golden\",\"tags\":[\"a\",\"b\"]}"));
    assertThat(token.version()).isEqualTo(1);
    assertThat(token.updatedAt()).isEqualTo(token.createdAt());
    assertThat(token.createdAt()).isCloseTo(Instant.now(), new org.assertj.core.data.TemporalUnitWithinOffset(
        1, ChronoUnit.MINUTES));
    assertThat(token.createdAt().getNano() % 1000).as("microsecond precision").isZero();

    Received<EventMessage> event = gateway.awaitEvents(id.toString(), 1).get(0);
    EventMessage value = event.value();
    assertThat(event.record().key()).isEqualTo(id.toString());
    assertThat(value.type()).isEqualTo("token.created");
    assertThat(value.version()).isEqualTo(1);
    assertThat(value.source()).isEqualTo("neurograph/token-service");
    assertThat(value.subject()).isEqualTo(id.toString());
    assertThat(value.correlationId()).isEqualTo(command.requestId());
    assertThat(value.occurredAt()).isEqualTo(token.updatedAt());
    assertThat(value.data()).isEqualTo(reply.value().payload());
    assertThat(UUID.fromString(value.eventId())).isNotNull();
    assertThat(event.headers()).containsAllEntriesOf(Map.of(
        "ce_id", value.eventId(),
        "ce_type", "token.created",
        "ce_source", "neurograph/token-service",
        "ce_specversion", "1.0",
        "ce_time", value.occurredAt().toString(),
        "ce_subject", id.toString(),
        "content-type", "application/json",
        "traceparent", traceparent));
    // The test log pattern prints the MDC trace id in brackets (production: the ECS JSON field "traceId").
    // The line is written once the reply is acknowledged by the broker, which can be after the reply arrived here.
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> assertThat(output.getOut())
        .as("the request line carries the trace id")
        .contains("[" + TRACE_ID + "] neurograph.requests - token.create " + command.requestId() + " -> ok in "));

    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isEqualTo(1);
    assertThat(SQL.text("SELECT created_by FROM tokens WHERE token_id = ?", id.value())).isEqualTo("alice");
    await().atMost(GatewayDouble.WAIT).until(
        () -> SQL.number("SELECT count(*) FROM outbox WHERE message_key = ?", id.toString()) == 0);
  }

  @Test
  void aCreateWithoutTokenIdGetsTheIdDerivedFromItsCommandId() {
    TokenCreate create = Payloads.create(null, "derived");
    CommandMessage command = gateway.command("token.create", create);

    ReplyMessage reply = gateway.request(UUID.randomUUID().toString(), command).value();

    assertThat(reply.payload().get("token_id").stringValue())
        .isEqualTo(TokenId.derivedFrom(command.commandId()).toString());
  }

  @Test
  void aResentCommandGetsTheOriginalReplyAndChangesNothing() {
    TokenId id = TokenId.random();
    CommandMessage first = gateway.command("token.create", Payloads.create(id, "dedupe"));
    ReplyMessage original = gateway.request(id.toString(), first).value();

    CommandMessage again = new CommandMessage(first.commandId(), first.type(), first.requestId(), first.clientId(),
        first.principal(), first.replyTo(), "another-reply-key", Instant.now(), first.payload());
    ReplyMessage repeated = gateway.request(id.toString(), again).value();

    assertThat(repeated.type()).isEqualTo(original.type());
    assertThat(repeated.payload()).isEqualTo(original.payload());
    assertThat(repeated.replyKey()).isEqualTo("another-reply-key");
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isEqualTo(1);

    // Events of a token are published in order: once the next change's event is there, a duplicate
    // token.created would have been seen before it.
    gateway.request(id.toString(), gateway.command("token.update", Payloads.weight(id, 2.0, null)));
    gateway.awaitEvents(id.toString(), 2);
    assertThat(gateway.eventsOf(id.toString())).extracting(e -> e.value().type())
        .containsExactly("token.created", "token.updated");
  }

  @Test
  void aRequestIdReusedForAnotherCommandIsAConflict() {
    TokenId id = TokenId.random();
    CommandMessage create = gateway.command("token.create", Payloads.create(id, "reuse"));
    gateway.request(id.toString(), create);

    CommandMessage delete = new CommandMessage(create.commandId(), "token.delete", create.requestId(),
        create.clientId(), null, create.replyTo(), "rk", Instant.now(), Json.tree(new TokenDelete(id)));
    ErrorPayload error = error(gateway.request(id.toString(), delete));

    assertThat(error.code().name()).isEqualTo("CONFLICT");
    assertThat(error.message()).isEqualTo("request id already used for another command");
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isEqualTo(1);
  }

  @Test
  void creatingAnExistingTokenIdIsAConflict() {
    TokenId id = TokenId.random();
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, "twice")));

    CommandMessage second = gateway.command("token.create", Payloads.create(id, "twice"));
    ErrorPayload error = error(gateway.request(id.toString(), second));

    assertThat(error.code().name()).isEqualTo("CONFLICT");
    assertThat(error.originalMessageId()).isEqualTo(second.requestId());
  }

  @Test
  void anUpdateWithAStaleExpectedVersionIsAConflictAndChangesNothing() {
    TokenId id = TokenId.random();
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, "versioned")));

    CommandMessage stale = gateway.command("token.update", Payloads.weight(id, 9.0, 5L));
    ErrorPayload error = error(gateway.request(id.toString(), stale));
    assertThat(error.code().name()).isEqualTo("CONFLICT");
    assertThat(error.originalMessageId()).isEqualTo(stale.requestId());

    CommandMessage current = gateway.command("token.update", Payloads.weight(id, 9.0, 1L));
    Token updated = Json.convert(gateway.request(id.toString(), current).value().payload(), Token.class);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.weight()).isEqualTo(9.0);
    assertThat(updated.type()).as("absent fields stay").isEqualTo("versioned");
    assertThat(updated.updatedAt()).isAfterOrEqualTo(updated.createdAt());
  }

  @Test
  void updatingOrDeletingAnUnknownTokenIsNotFound() {
    TokenId id = TokenId.random();
    CommandMessage update = gateway.command("token.update", Payloads.weight(id, 1.0, null));
    CommandMessage delete = gateway.command("token.delete", new TokenDelete(id));

    for (CommandMessage command : List.of(update, delete)) {
      ErrorPayload error = error(gateway.request(id.toString(), command));
      assertThat(error.code().name()).isEqualTo("NOT_FOUND");
      assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    }
  }

  @Test
  void deleteRepliesAndPublishesTokenDeleted() {
    TokenId id = TokenId.random();
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, "doomed")));

    ReplyMessage reply = gateway.request(id.toString(), gateway.command("token.delete", new TokenDelete(id))).value();

    assertThat(reply.type()).isEqualTo("token.deleted");
    assertThat(reply.payload()).isEqualTo(Payloads.object("{\"token_id\":\"" + id + "\"}"));
    List<Received<EventMessage>> events = gateway.awaitEvents(id.toString(), 2);
    assertThat(events).extracting(e -> e.value().type()).containsExactly("token.created", "token.deleted");
    assertThat(events.get(1).value().data()).isEqualTo(reply.payload());
    assertThat(events.get(1).header("ce_type")).isEqualTo("token.deleted");
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isZero();
  }

  @Test
  void quickUpdatesOfOneTokenProduceEventsInVersionOrder() {
    TokenId id = TokenId.random();
    List<CommandMessage> commands = new ArrayList<>();
    commands.add(gateway.send(id.toString(), gateway.command("token.create", Payloads.create(id, "ordered"))));
    for (int i = 1; i <= 20; i++) {
      TokenUpdate update = Payloads.weight(id, i, null);
      commands.add(gateway.send(id.toString(), gateway.command("token.update", update)));
    }

    List<Received<EventMessage>> events = gateway.awaitEvents(id.toString(), 21);

    assertThat(events).extracting(e -> e.value().data().get("version").longValue())
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
    assertThat(events.get(20).value().data().get("weight").doubleValue()).isEqualTo(20.0);
    for (CommandMessage command : commands) {
      assertThat(gateway.awaitReply(command.requestId()).value().type()).isIn("token.created", "token.updated");
    }
  }

  @Test
  void aRowLeftInTheOutboxByACrashIsPublishedByThePoll() {
    String subject = TokenId.random().toString();
    String eventId = UUID.randomUUID().toString();
    String value = "{\"event_id\":\"" + eventId + "\",\"type\":\"token.deleted\",\"version\":1,"
        + "\"occurred_at\":\"2026-11-26T10:00:00Z\",\"source\":\"neurograph/token-service\",\"subject\":\""
        + subject + "\",\"correlation_id\":\"crashed\",\"data\":{\"token_id\":\"" + subject + "\"}}";
    SQL.update("INSERT INTO outbox (event_id, topic, message_key, event_type, value, occurred_at)"
            + " VALUES (?::uuid, ?, ?, 'token.deleted', ?, '2026-11-26T10:00:00Z')",
        eventId, TOPICS.tokenEvents(), subject, value);

    Received<EventMessage> event = gateway.awaitEvents(subject, 1).get(0);

    assertThat(new String(event.record().value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(value);
    assertThat(event.header("ce_id")).isEqualTo(eventId);
    assertThat(event.header("ce_time")).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(event.header("traceparent")).isNull();
    await().atMost(GatewayDouble.WAIT).until(
        () -> SQL.number("SELECT count(*) FROM outbox WHERE message_key = ?", subject) == 0);
  }

  @Test
  void commandIdsOlderThanTheDedupeWindowAreForgotten() {
    String old = "client/old-" + UUID.randomUUID();
    String recent = "client/recent-" + UUID.randomUUID();
    SQL.update("INSERT INTO processed_commands (command_id, command_type, reply_type, reply, processed_at)"
        + " VALUES (?, 'token.create', 'error', '{}', now() - interval '2 minutes')", old);
    SQL.update("INSERT INTO processed_commands (command_id, command_type, reply_type, reply)"
        + " VALUES (?, 'token.create', 'error', '{}')", recent);

    await().atMost(Duration.ofSeconds(30)).until(
        () -> SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", old) == 0);
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", recent)).isEqualTo(1);
  }

  private static ErrorPayload error(Received<ReplyMessage> reply) {
    assertThat(reply.value().type()).isEqualTo("error");
    return Json.convert(reply.value().payload(), ErrorPayload.class);
  }
}
