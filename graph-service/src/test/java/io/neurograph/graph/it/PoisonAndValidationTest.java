package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Records that are not commands go to the dead-letter topic; invalid commands are refused with details. */
class PoisonAndValidationTest extends SharedContextTest {

  @Test
  void aPoisonRecordIsDeadLetteredAndTheNextCommandIsStillProcessed() {
    String key = "poison-" + UUID.randomUUID();
    byte[] poison = ("not json " + key).getBytes(StandardCharsets.UTF_8);
    RecordMetadata sent = gateway.sendRaw(TOPICS.graphCommands(), key, poison, Map.of());
    CommandMessage next = gateway.command("graph.stats", Payloads.object("{}"));

    ConsumerRecord<String, byte[]> dead = gateway.awaitDeadLetter(value -> Arrays.equals(value, poison));
    assertThat(dead.topic()).isEqualTo(TOPICS.graphCommands() + "-dlt");
    assertThat(dead.key()).isEqualTo(key);
    assertThat(dead.partition()).isEqualTo(sent.partition());
    assertThat(dead.headers().lastHeader("kafka_dlt-original-topic")).isNotNull();
    var reason = dead.headers().lastHeader("kafka_dlt-exception-message");
    assertThat(reason).as("the dead letter says why").isNotNull();
    assertThat(new String(reason.value(), StandardCharsets.UTF_8))
        .contains("not a command message")
        .doesNotContain("io.neurograph", "Exception");
    for (var header : dead.headers()) {
      assertThat(header.key()).as("no Java class names or stack traces on the wire")
          .doesNotContain("fqcn", "stacktrace");
    }

    assertThat(gateway.request(key, next).value().type()).isEqualTo("graph.stats");
  }

  @Test
  void aCommandWithoutReplyAddressIsDeadLettered() {
    String marker = UUID.randomUUID().toString();
    byte[] value = ("{\"command_id\":\"c/" + marker + "\",\"type\":\"graph.stats\",\"request_id\":\"" + marker
        + "\",\"payload\":{}}").getBytes(StandardCharsets.UTF_8);
    gateway.sendRaw(TOPICS.graphCommands(), marker, value, Map.of());

    assertThat(gateway.awaitDeadLetter(v -> Arrays.equals(v, value)).key()).isEqualTo(marker);
  }

  @Test
  void aConnectWithMissingOrMalformedIdsIsRefusedWithEveryProblemAndChangesNothing() {
    CommandMessage command = gateway.command("graph.connect",
        Payloads.object("{\"target_id\":\"not-a-uuid\",\"weight\":0.5}"));

    ErrorPayload error = refused(command);

    assertThat(error.message()).isEqualTo("Invalid graph.connect payload");
    assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    assertThat(error.details()).extracting(p -> p.field()).containsExactly("source_id", "target_id");
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", command.commandId()))
        .as("a refused payload is not an outcome").isZero();
  }

  @Test
  void aWeightOutside0To1IsRefused() {
    for (String weight : new String[] {"1.5", "-0.1"}) {
      ErrorPayload error = refused(gateway.command("graph.connect", Payloads.object("{\"source_id\":\""
          + TokenId.random() + "\",\"target_id\":\"" + TokenId.random() + "\",\"weight\":" + weight + "}")));

      assertThat(error.details()).as(weight).extracting(p -> p.field()).containsExactly("weight");
    }
  }

  @Test
  void anUnknownDirectionIsRefused() {
    ErrorPayload error = refused(gateway.command("graph.neighbors",
        Payloads.object("{\"token_id\":\"" + TokenId.random() + "\",\"direction\":\"sideways\"}")));

    assertThat(error.details()).extracting(p -> p.field()).containsExactly("direction");
  }

  @Test
  void aMaxDepthOutside1To10IsRefused() {
    for (int depth : new int[] {0, 11}) {
      ErrorPayload error = refused(gateway.command("graph.path", Payloads.object("{\"source_id\":\""
          + TokenId.random() + "\",\"target_id\":\"" + TokenId.random() + "\",\"max_depth\":" + depth + "}")));

      assertThat(error.details()).as("max_depth %d", depth).extracting(p -> p.field()).containsExactly("max_depth");
    }
  }

  @Test
  void aDisconnectWithoutAConnectionIdIsRefused() {
    for (String payload : new String[] {"{}", "{\"connection_id\":\"123\"}"}) {
      ErrorPayload error = refused(gateway.command("graph.disconnect", Payloads.object(payload)));

      assertThat(error.details()).as(payload).extracting(p -> p.field()).containsExactly("connection_id");
    }
  }

  @Test
  void aCommandTheDatabaseRefusesIsRetriedThenDeadLetteredAndAnsweredWithAGenericInternalError() {
    // A valid command the database refuses for a non-transient reason: a trigger of this test's own
    // raises a plain exception (SQLSTATE P0001) for one edge type.
    SQL.update("""
        CREATE OR REPLACE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'refused-by-trigger' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
          RETURN NEW;
        END $$""");
    SQL.update("DROP TRIGGER IF EXISTS refuse_doomed ON edges");
    SQL.update("CREATE TRIGGER refuse_doomed BEFORE INSERT ON edges FOR EACH ROW EXECUTE FUNCTION refuse_doomed()");
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    gateway.created(a, b);
    CommandMessage command = gateway.command("graph.connect", Payloads.connect(a, b, "refused-by-trigger"));

    ErrorPayload error = error(gateway.request(a.toString(), command).value());

    assertThat(error.code().name()).isEqualTo("INTERNAL");
    assertThat(error.message()).isEqualTo("Internal error while processing graph.connect");
    assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    byte[] sent = Json.writeBytes(command);
    assertThat(gateway.awaitDeadLetter(v -> Arrays.equals(v, sent)).key()).isEqualTo(a.toString());
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ?", a.value())).isZero();
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", command.commandId()))
        .as("a failure is not an outcome").isZero();
  }

  @Test
  void unknownAndNonGraphTypesAreRefused() {
    for (String type : new String[] {"graph.explode", "token.create", "ping"}) {
      CommandMessage command = gateway.command(type, Payloads.object("{}"));

      ErrorPayload error = error(gateway.request("k", command).value());

      assertThat(error.code().name()).isEqualTo("UNKNOWN_TYPE");
      assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    }
  }

  @Test
  void aCommandWithoutIssuedAtOrPrincipalIsAnswered() {
    CommandMessage command = gateway.command("graph.stats", Payloads.object("{}"));
    CommandMessage withoutIssuedAt = new CommandMessage(command.commandId(), command.type(), command.requestId(),
        command.clientId(), null, command.replyTo(), command.replyKey(), null, command.payload());

    ReplyMessage reply = gateway.request("k", withoutIssuedAt).value();

    assertThat(reply.type()).isEqualTo("graph.stats");
  }

  private static ErrorPayload refused(CommandMessage command) {
    ErrorPayload error = error(gateway.request(UUID.randomUUID().toString(), command).value());
    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    return error;
  }

  private static ErrorPayload error(ReplyMessage reply) {
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("error");
    return Json.convert(reply.payload(), ErrorPayload.class);
  }
}
