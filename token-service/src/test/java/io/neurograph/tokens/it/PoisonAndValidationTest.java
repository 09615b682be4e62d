package io.neurograph.tokens.it;

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
import org.junit.jupiter.api.Test;

/** Records that are not commands go to the dead-letter topic; invalid commands are refused with details. */
class PoisonAndValidationTest extends SharedContextTest {

  @Test
  void aPoisonRecordIsDeadLetteredAndTheNextCommandIsStillProcessed() {
    String key = "poison-" + UUID.randomUUID();
    byte[] poison = ("not json " + key).getBytes(StandardCharsets.UTF_8);
    int partition = gateway.sendRaw(key, poison, Map.of());
    TokenId id = TokenId.random();
    CommandMessage next = gateway.command("token.create", Payloads.create(id, "after-poison"));

    ConsumerRecord<String, byte[]> dead = gateway.awaitDeadLetter(value -> Arrays.equals(value, poison));
    assertThat(dead.key()).isEqualTo(key);
    assertThat(dead.partition()).isEqualTo(partition);
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

    assertThat(gateway.request(key, next).value().type()).isEqualTo("token.created");
  }

  @Test
  void aCommandWithoutReplyAddressIsDeadLettered() {
    String marker = UUID.randomUUID().toString();
    byte[] value = ("{\"command_id\":\"c/" + marker + "\",\"type\":\"token.get\",\"request_id\":\"" + marker
        + "\",\"payload\":{}}").getBytes(StandardCharsets.UTF_8);
    gateway.sendRaw(marker, value, Map.of());

    assertThat(gateway.awaitDeadLetter(v -> Arrays.equals(v, value)).key()).isEqualTo(marker);
  }

  @Test
  void anInvalidPayloadIsRefusedWithEveryProblemAndChangesNothing() {
    TokenId id = TokenId.random();
    var payload = Payloads.object("{\"token_id\":\"" + id + "\",\"weight\":-1,\"coord_x\":[1,2,3]}");
    CommandMessage command = gateway.command("token.create", payload);

    ErrorPayload error = error(gateway.request(id.toString(), command).value());

    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    assertThat(error.message()).isEqualTo("Invalid token.create payload");
    assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    assertThat(error.details()).extracting(p -> p.field()).containsExactlyInAnyOrder("weight", "coord_x");
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isZero();
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", command.commandId()))
        .as("a refused payload is not an outcome").isZero();
  }

  @Test
  void aNulCharacterIsRefusedByValidationBeforeTheDatabaseSeesIt() {
    TokenId id = TokenId.random();
    CommandMessage command = gateway.command("token.create", Payloads.create(id, "nul"));
    var payload = (tools.jackson.databind.node.ObjectNode) command.payload();
    payload.set("metadata", Payloads.object("{\"note\":\"a\\u0000b\"}"));

    ErrorPayload error = error(gateway.request(id.toString(), command).value());

    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    assertThat(error.details()).extracting(p -> p.field()).containsExactly("metadata");
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isZero();
  }

  @Test
  void aCommandTheDatabaseRefusesIsRetriedThenDeadLetteredAndAnsweredWithAGenericInternalError() {
    // A valid command the database refuses for a non-transient reason: a trigger of this test's own
    // raises a plain exception (SQLSTATE P0001) for one token type.
    SQL.update("""
        CREATE OR REPLACE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'doomed' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
          RETURN NEW;
        END $$""");
    SQL.update("DROP TRIGGER IF EXISTS refuse_doomed ON tokens");
    SQL.update("CREATE TRIGGER refuse_doomed BEFORE INSERT ON tokens FOR EACH ROW EXECUTE FUNCTION refuse_doomed()");
    TokenId id = TokenId.random();
    CommandMessage command = gateway.command("token.create", Payloads.create(id, "doomed"));

    ErrorPayload error = error(gateway.request(id.toString(), command).value());

    assertThat(error.code().name()).isEqualTo("INTERNAL");
    assertThat(error.message()).isEqualTo("Internal error while processing token.create");
    assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    byte[] sent = Json.writeBytes(command);
    assertThat(gateway.awaitDeadLetter(v -> Arrays.equals(v, sent)).key()).isEqualTo(id.toString());
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isZero();
    assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", command.commandId()))
        .as("a failure is not an outcome").isZero();
  }

  @Test
  void aPayloadThatIsNotAnObjectIsRefused() {
    CommandMessage command = gateway.command("token.list", Json.tree(42));

    ErrorPayload error = error(gateway.request("k", command).value());

    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    assertThat(error.details()).extracting(p -> p.field()).containsExactly("payload");
  }

  @Test
  void unknownAndNonTokenTypesAreRefused() {
    for (String type : new String[] {"token.explode", "ping"}) {
      CommandMessage command = gateway.command(type, Payloads.object("{}"));

      ErrorPayload error = error(gateway.request("k", command).value());

      assertThat(error.code().name()).isEqualTo("UNKNOWN_TYPE");
      assertThat(error.originalMessageId()).isEqualTo(command.requestId());
    }
  }

  @Test
  void aCommandWithoutIssuedAtOrPrincipalIsAnswered() {
    CommandMessage command = gateway.command("token.count", Payloads.object("{}"));
    CommandMessage withoutIssuedAt = new CommandMessage(command.commandId(), command.type(), command.requestId(),
        command.clientId(), null, command.replyTo(), command.replyKey(), null, command.payload());

    ReplyMessage reply = gateway.request("k", withoutIssuedAt).value();

    assertThat(reply.type()).isEqualTo("token.count");
  }

  private static ErrorPayload error(ReplyMessage reply) {
    assertThat(reply.type()).isEqualTo("error");
    return Json.convert(reply.payload(), ErrorPayload.class);
  }
}
