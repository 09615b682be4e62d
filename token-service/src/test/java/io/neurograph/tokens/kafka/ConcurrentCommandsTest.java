package io.neurograph.tokens.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenDelete;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.tokens.it.GatewayDouble;
import io.neurograph.tokens.it.GatewayDouble.Received;
import io.neurograph.tokens.it.Payloads;
import io.neurograph.tokens.it.SharedContextTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The batch listener against the real service: the records of one partition run concurrently across keys,
 * one after another within a key, and a failure in the middle of a poll costs neither a lost nor a doubled
 * command.
 */
class ConcurrentCommandsTest extends SharedContextTest {

  private static final int PARTITION = 0;
  /** Long enough for a duplicate reply or event to show up after the last expected one. */
  private static final Duration AFTERMATH = Duration.ofSeconds(2);

  @Autowired
  ConcurrentMessageListenerContainer<String, byte[]> commandListenerContainer;

  @Test
  void manyCommandsOfDistinctKeysOnOnePartitionOverlapAndEachRunsOnce() {
    String type = "burst-" + UUID.randomUUID().toString().substring(0, 8);
    List<TokenId> ids = new ArrayList<>();
    List<CommandMessage> commands = new ArrayList<>();
    listener().takePeakInFlight();

    asOneBurst(() -> {
      for (int i = 0; i < 200; i++) {
        TokenId id = TokenId.random();
        ids.add(id);
        commands.add(gateway.sendTo(PARTITION, id.toString(),
            gateway.command("token.create", Payloads.create(id, type))));
      }
    });

    for (CommandMessage command : commands) {
      assertThat(gateway.awaitReply(command.requestId()).value().type()).isEqualTo("token.created");
    }
    assertThat(listener().takePeakInFlight())
        .as("records of one partition ran at the same time, at most max-in-flight of them")
        .isGreaterThan(1)
        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
    for (TokenId id : ids) {
      gateway.awaitEvents(id.toString(), 1);
    }
    gateway.listen(AFTERMATH);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(gateway.eventsOf(ids.get(i).toString())).extracting(e -> e.value().type())
          .containsExactly("token.created");
      assertThat(gateway.untakenReplies(commands.get(i).requestId())).as("one reply per command").isEmpty();
    }
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE type = ?", type)).isEqualTo(200);
  }

  @Test
  void commandsOfOneKeyKeepTheirOrderWhileOtherKeysRunBesideThem() {
    String type = "ordered-burst-" + UUID.randomUUID().toString().substring(0, 8);
    List<TokenId> ids = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      ids.add(TokenId.random());
    }
    Map<TokenId, List<CommandMessage>> sent = new LinkedHashMap<>();
    ids.forEach(id -> sent.put(id, new ArrayList<>()));

    // Round-robin: each token's create, three updates and (every other token) a delete, interleaved with
    // the other tokens' commands on one partition. Each update expects the version the one before made.
    asOneBurst(() -> {
      for (int step = 0; step < 5; step++) {
        for (int t = 0; t < ids.size(); t++) {
          TokenId id = ids.get(t);
          CommandMessage command;
          if (step == 0) {
            command = gateway.command("token.create", Payloads.create(id, type));
          } else if (step < 4) {
            command = gateway.command("token.update", Payloads.weight(id, step, (long) step));
          } else if (t % 2 == 0) {
            command = gateway.command("token.delete", new TokenDelete(id));
          } else {
            continue;
          }
          sent.get(id).add(gateway.sendTo(PARTITION, id.toString(), command));
        }
      }
    });

    for (int t = 0; t < ids.size(); t++) {
      TokenId id = ids.get(t);
      boolean deleted = t % 2 == 0;
      List<String> replies = sent.get(id).stream()
          .map(command -> gateway.awaitReply(command.requestId()).value().type())
          .toList();
      List<String> expected = new ArrayList<>(List.of("token.created", "token.updated", "token.updated",
          "token.updated"));
      if (deleted) {
        expected.add("token.deleted");
      }
      assertThat(replies).as("replies of %s", id).containsExactlyElementsOf(expected);

      List<Received<EventMessage>> events = gateway.awaitEvents(id.toString(), expected.size());
      assertThat(events).extracting(e -> e.value().type()).as("events of %s", id)
          .containsExactlyElementsOf(expected);
      assertThat(events.subList(0, 4)).extracting(e -> e.value().data().get("version").longValue())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 4).boxed().toList());

      if (deleted) {
        assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isZero();
      } else {
        assertThat(SQL.number("SELECT version FROM tokens WHERE token_id = ?", id.value())).isEqualTo(4);
        assertThat(SQL.text("SELECT weight::text FROM tokens WHERE token_id = ?", id.value())).isEqualTo("3");
      }
    }
  }

  @Test
  void aPoisonRecordInTheMiddleOfAPollIsDeadLetteredOnceAndEveryGoodCommandRunsOnce() {
    String type = "poison-burst-" + UUID.randomUUID().toString().substring(0, 8);
    String poisonKey = "poison-" + UUID.randomUUID();
    byte[] poison = ("not json " + poisonKey).getBytes(StandardCharsets.UTF_8);
    Map<TokenId, CommandMessage> before = new LinkedHashMap<>();
    Map<TokenId, CommandMessage> after = new LinkedHashMap<>();
    TokenId behindPoison = TokenId.random();
    CommandMessage[] sameKeyAsPoison = new CommandMessage[1];

    asOneBurst(() -> {
      sendCreates(before, type, 5);
      gateway.sendRawTo(PARTITION, poisonKey, poison);
      sendCreates(after, type, 5);
      // Same key as the poison: it waits until the poison is dealt with, then runs.
      sameKeyAsPoison[0] = gateway.sendTo(PARTITION, poisonKey,
          gateway.command("token.create", Payloads.create(behindPoison, type)));
    });

    Map<TokenId, CommandMessage> good = new LinkedHashMap<>(before);
    good.putAll(after);
    good.put(behindPoison, sameKeyAsPoison[0]);
    Map<TokenId, ReplyMessage> firstReplies = new LinkedHashMap<>();
    good.forEach((id, command) -> {
      ReplyMessage reply = gateway.awaitReply(command.requestId()).value();
      assertThat(reply.type()).as("reply to %s", id).isEqualTo("token.created");
      firstReplies.put(id, reply);
    });
    gateway.awaitDeadLetter(value -> Arrays.equals(value, poison));
    for (TokenId id : good.keySet()) {
      gateway.awaitEvents(id.toString(), 1);
    }
    gateway.listen(AFTERMATH);

    assertThat(gateway.deadLetters(value -> Arrays.equals(value, poison))).as("dead-lettered once").isEqualTo(1);
    for (TokenId id : good.keySet()) {
      assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value())).isEqualTo(1);
      assertThat(gateway.eventsOf(id.toString())).extracting(e -> e.value().type())
          .as("one event for %s", id).containsExactly("token.created");
    }
    // The records after the poison ran in the same poll and were redelivered with the rest of it: their
    // repeat was answered from the dedupe record, with the same reply and nothing applied again.
    List<ReplyMessage> repeats = after.values().stream()
        .flatMap(command -> gateway.untakenReplies(command.requestId()).stream())
        .map(Received::value)
        .toList();
    assertThat(repeats).as("redelivered commands after the poison").isNotEmpty();
    for (ReplyMessage repeat : repeats) {
      TokenId id = TokenId.of(repeat.payload().get("token_id").stringValue());
      assertThat(repeat.payload()).isEqualTo(firstReplies.get(id).payload());
    }
    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE type = ?", type)).isEqualTo(good.size());
  }

  @Test
  void aRecordThatFailsTransientlyThenForAReasonOfItsOwnIsStillDeadLettered() {
    // First delivery: serialization failure (SQLSTATE 40001, transient, retried forever); every later one:
    // a plain exception (P0001, the record's own). The sequence survives the rollbacks.
    SQL.update("CREATE SEQUENCE IF NOT EXISTS flip_attempts");
    SQL.update("""
        CREATE OR REPLACE FUNCTION flip_then_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'flip' THEN
            IF nextval('flip_attempts') = 1 THEN
              RAISE EXCEPTION 'could not serialize (test trigger)' USING ERRCODE = '40001';
            END IF;
            RAISE EXCEPTION 'refused by test trigger';
          END IF;
          RETURN NEW;
        END $$""");
    SQL.update("DROP TRIGGER IF EXISTS flip_then_refuse ON tokens");
    SQL.update("CREATE TRIGGER flip_then_refuse BEFORE INSERT ON tokens FOR EACH ROW"
        + " EXECUTE FUNCTION flip_then_refuse()");
    TokenId id = TokenId.random();
    CommandMessage command = gateway.command("token.create", Payloads.create(id, "flip"));

    ReplyMessage reply = gateway.request(id.toString(), command).value();

    assertThat(reply.type()).isEqualTo("error");
    assertThat(Json.convert(reply.payload(), ErrorPayload.class).code().name()).isEqualTo("INTERNAL");
    byte[] sent = Json.writeBytes(command);
    assertThat(gateway.awaitDeadLetter(v -> Arrays.equals(v, sent)).key()).isEqualTo(id.toString());
    assertThat(SQL.number("SELECT last_value FROM flip_attempts")).as("retried after the transient failure")
        .isGreaterThanOrEqualTo(2);
  }

  private void sendCreates(Map<TokenId, CommandMessage> into, String type, int count) {
    for (int i = 0; i < count; i++) {
      TokenId id = TokenId.random();
      CommandMessage create = gateway.command("token.create", Payloads.create(id, type));
      into.put(id, gateway.sendTo(PARTITION, id.toString(), create));
    }
  }

  /** Sends while the listener is paused, so that the service finds the records together, as under load. */
  private void asOneBurst(Runnable sends) {
    commandListenerContainer.pause();
    try {
      await().atMost(GatewayDouble.WAIT).until(commandListenerContainer::isContainerPaused);
      sends.run();
    } finally {
      commandListenerContainer.resume();
    }
  }

  private CommandBatchListener listener() {
    return (CommandBatchListener) commandListenerContainer.getContainerProperties().getMessageListener();
  }
}
