package io.neurograph.graph.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.it.GatewayDouble;
import io.neurograph.graph.it.GatewayDouble.Received;
import io.neurograph.graph.it.Payloads;
import io.neurograph.graph.it.SharedContextTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The batch listener on one partition: many keys at once, each key in order, a poison record in the middle,
 * every record in its own trace.
 * Each test puts its records into one poll by pausing the partition while producing them.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandBatchFlowTest extends SharedContextTest {

  private static final int PARTITION = 0;

  @Autowired
  @Qualifier("commandListenerContainer")
  ConcurrentMessageListenerContainer<String, byte[]> commands;

  @Test
  void commandsOfManyKeysOnOnePartitionOverlapAndAreEachAppliedAndAnsweredOnce() {
    String type = "batch-" + UUID.randomUUID();
    List<CommandMessage> connects = new ArrayList<>();
    List<TokenId> sources = new ArrayList<>();
    List<TokenId> tokens = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TokenId source = TokenId.random();
      TokenId target = TokenId.random();
      sources.add(source);
      tokens.addAll(List.of(source, target));
      connects.add(gateway.command("graph.connect", Payloads.connect(source, target, type)));
    }
    created(tokens);
    listener().takePeakInFlight();

    inOneBatch(() -> {
      for (int i = 0; i < connects.size(); i++) {
        gateway.send(PARTITION, sources.get(i).toString(), connects.get(i));
      }
    });

    for (CommandMessage connect : connects) {
      ReplyMessage reply = gateway.awaitReply(connect.requestId()).value();
      assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("graph.connected");
      assertThat(Json.convert(reply.payload(), Edge.class).connectionId())
          .isEqualTo(ConnectionId.derivedFrom(connect.commandId()));
    }
    assertThat(listener().takePeakInFlight()).as("records of one poll were in flight together").isGreaterThan(1);
    answerEverythingBefore();
    for (CommandMessage connect : connects) {
      assertThat(gateway.untakenReplies(connect.requestId())).as("a second reply to %s", connect.requestId())
          .isEmpty();
      assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", connect.commandId()))
          .isEqualTo(1);
      String id = ConnectionId.derivedFrom(connect.commandId()).toString();
      gateway.awaitEvents(id, 1);
      assertThat(gateway.eventsOf(id)).hasSize(1);
    }
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE type = ?", type)).isEqualTo(connects.size());
  }

  @Test
  void theCommandsOfOneKeyKeepTheirOrderAmongOtherKeys() {
    String type = "order-" + UUID.randomUUID();
    int keys = 6;
    List<TokenId> sources = new ArrayList<>();
    List<CommandMessage> firsts = new ArrayList<>();
    List<CommandMessage> disconnects = new ArrayList<>();
    List<CommandMessage> agains = new ArrayList<>();
    List<TokenId> tokens = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      TokenId source = TokenId.random();
      TokenId target = TokenId.random();
      tokens.addAll(List.of(source, target));
      sources.add(source);
      CommandMessage first = gateway.command("graph.connect", Payloads.connect(source, target, type));
      firsts.add(first);
      disconnects.add(gateway.command("graph.disconnect",
          Payloads.disconnect(ConnectionId.derivedFrom(first.commandId()))));
      agains.add(gateway.command("graph.connect", Payloads.connect(source, target, type)));
    }
    created(tokens);
    List<CommandMessage> noise = new ArrayList<>();

    inOneBatch(() -> {
      // Round by round, so the records of one key are far apart, with commands of unrelated keys between.
      for (List<CommandMessage> round : List.of(firsts, disconnects, agains)) {
        for (int i = 0; i < keys; i++) {
          gateway.send(PARTITION, sources.get(i).toString(), round.get(i));
          CommandMessage other = gateway.command("graph.disconnect",
              Payloads.disconnect(new ConnectionId(UUID.randomUUID())));
          noise.add(gateway.send(PARTITION, UUID.randomUUID().toString(), other));
        }
      }
    });

    for (int i = 0; i < keys; i++) {
      ConnectionId firstId = ConnectionId.derivedFrom(firsts.get(i).commandId());
      ConnectionId againId = ConnectionId.derivedFrom(agains.get(i).commandId());
      assertThat(gateway.awaitReply(firsts.get(i).requestId()).value().type()).isEqualTo("graph.connected");
      assertThat(gateway.awaitReply(disconnects.get(i).requestId()).value().type())
          .as("the disconnect ran after the connect").isEqualTo("graph.disconnected");
      ReplyMessage again = gateway.awaitReply(agains.get(i).requestId()).value();
      assertThat(again.type()).as("the second connect ran after the disconnect: %s", again.payload())
          .isEqualTo("graph.connected");
      assertThat(SQL.text("SELECT connection_id::text FROM edges WHERE source_id = ?", sources.get(i).value()))
          .isEqualTo(againId.toString());
      List<Received<EventMessage>> events = gateway.awaitEventsKeyed(sources.get(i).toString(), 3);
      assertThat(events).extracting(e -> e.value().type())
          .containsExactly("graph.connected", "graph.disconnected", "graph.connected");
      assertThat(events).extracting(e -> e.value().subject())
          .containsExactly(firstId.toString(), firstId.toString(), againId.toString());
    }
    for (CommandMessage other : noise) {
      assertThat(gateway.awaitReply(other.requestId()).value().type()).isEqualTo("error");
    }
  }

  @Test
  void aPoisonRecordInTheMiddleOfABatchIsDeadLetteredOnceAndEveryGoodCommandAppliedOnce() {
    String type = "poison-batch-" + UUID.randomUUID();
    List<TokenId> sources = new ArrayList<>();
    List<CommandMessage> connects = new ArrayList<>();
    List<TokenId> tokens = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      TokenId source = TokenId.random();
      TokenId target = TokenId.random();
      tokens.addAll(List.of(source, target));
      sources.add(source);
      connects.add(gateway.command("graph.connect", Payloads.connect(source, target, type)));
    }
    created(tokens);
    byte[] poison = ("not a command " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    int before = 4;

    inOneBatch(() -> {
      for (int i = 0; i < before; i++) {
        gateway.send(PARTITION, sources.get(i).toString(), connects.get(i));
      }
      // Keyed like the next command, which must wait for it.
      gateway.sendRaw(TOPICS.graphCommands(), PARTITION, sources.get(before).toString(), poison, Map.of());
      for (int i = before; i < connects.size(); i++) {
        gateway.send(PARTITION, sources.get(i).toString(), connects.get(i));
      }
    });

    gateway.awaitDeadLetter(value -> Arrays.equals(value, poison));
    List<ReplyMessage> first = new ArrayList<>();
    for (CommandMessage connect : connects) {
      ReplyMessage reply = gateway.awaitReply(connect.requestId()).value();
      assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("graph.connected");
      first.add(reply);
    }
    answerEverythingBefore();
    assertThat(gateway.deadLetterCount(value -> Arrays.equals(value, poison))).isEqualTo(1);
    for (int i = 0; i < connects.size(); i++) {
      List<Received<ReplyMessage>> more = gateway.untakenReplies(connects.get(i).requestId());
      if (i < before) {
        assertThat(more).as("committed before the poison record: answered once").isEmpty();
      }
      // Redelivered after the poison record: answered again from the dedupe record, the same reply.
      for (Received<ReplyMessage> repeat : more) {
        assertThat(repeat.value().type()).isEqualTo("graph.connected");
        assertThat(repeat.value().payload()).isEqualTo(first.get(i).payload());
      }
      String id = ConnectionId.derivedFrom(connects.get(i).commandId()).toString();
      gateway.awaitEvents(id, 1);
      assertThat(gateway.eventsOf(id)).as("applied once").hasSize(1);
    }
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE type = ?", type)).isEqualTo(connects.size());
  }

  @Test
  void eachRecordOfABatchLogsItsOwnTraceOnly(CapturedOutput output) {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String key = "traced-" + UUID.randomUUID();
    CommandMessage traced = gateway.command("graph.stats", Payloads.object("{}"));
    CommandMessage untraced = gateway.command("graph.stats", Payloads.object("{}"));
    List<CommandMessage> others = new ArrayList<>();

    inOneBatch(() -> {
      gateway.send(PARTITION, key, traced,
          Map.of(KafkaHeaderNames.TRACEPARENT, "00-" + traceId + "-00f067aa0ba902b7-01"));
      for (int i = 0; i < 5; i++) {
        others.add(gateway.send(PARTITION, "other-" + UUID.randomUUID(), gateway.command("graph.stats",
            Payloads.object("{}"))));
      }
      // Same key: it starts where the traced one ended, and must not continue its trace.
      gateway.send(PARTITION, key, untraced);
    });

    assertThat(gateway.awaitReply(traced.requestId()).header(KafkaHeaderNames.TRACEPARENT))
        .startsWith("00-" + traceId + "-");
    assertThat(gateway.awaitReply(untraced.requestId()).header(KafkaHeaderNames.TRACEPARENT)).isNull();
    others.forEach(other -> gateway.awaitReply(other.requestId()));
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      assertThat(requestLine(output, traced)).contains("[" + traceId + "]");
      assertThat(requestLine(output, untraced)).doesNotContain(traceId).containsPattern("\\[[0-9a-f]{16,32}\\]");
      for (CommandMessage other : others) {
        assertThat(requestLine(output, other)).doesNotContain(traceId);
      }
    });
  }

  /** The {@code neurograph.requests} line of a request (the test log pattern prints the trace id in brackets). */
  private static String requestLine(CapturedOutput output, CommandMessage command) {
    return output.getOut().lines()
        .filter(line -> line.contains("neurograph.requests - " + command.type() + " " + command.requestId() + " "))
        .findFirst()
        .orElse("");
  }

  private CommandBatchListener listener() {
    return (CommandBatchListener) commands.getContainerProperties().getMessageListener();
  }

  /** Produces with the partition paused, so the consumer gets every record in the next poll. */
  private void inOneBatch(Runnable produce) {
    TopicPartition partition = new TopicPartition(TOPICS.graphCommands(), PARTITION);
    await().atMost(GatewayDouble.WAIT).untilAsserted(() -> {
      commands.pausePartition(partition);
      assertThat(commands.isPartitionPaused(partition)).isTrue();
    });
    try {
      produce.run();
    } finally {
      commands.resumePartition(partition);
    }
  }

  /** Announces tokens and waits until the projection knows them, so no connect has to wait for it. */
  private static void created(List<TokenId> tokens) {
    tokens.forEach(gateway::created);
    await().atMost(GatewayDouble.WAIT).until(() -> tokens.stream()
        .allMatch(token -> SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", token.value()) == 1));
  }

  /**
   * Sends a query behind everything produced so far on the partition and waits for its answer: a reply sent
   * again by a redelivery of earlier records would have come before it.
   */
  private static void answerEverythingBefore() {
    CommandMessage stats = gateway.command("graph.stats", Payloads.object("{}"));
    gateway.send(PARTITION, "after-" + UUID.randomUUID(), stats);
    assertThat(gateway.awaitReply(stats.requestId()).value().type()).isEqualTo("graph.stats");
  }
}
