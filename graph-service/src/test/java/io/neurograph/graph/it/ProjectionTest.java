package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.it.GatewayDouble.Received;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The projection of tokens built from token events: existence, deletion cascades, exactly-once, poison. */
class ProjectionTest extends SharedContextTest {

  @Test
  void aDeletionRemovesEveryEdgeTouchingTheTokenWithExactlyOneEventEachAndARepublishChangesNothing() {
    TokenId doomed = TokenId.random();
    TokenId a = TokenId.random();
    TokenId b = TokenId.random();
    TokenId c = TokenId.random();
    gateway.created(doomed, a, b, c);
    List<Edge> touching = List.of(
        connect(doomed, a, "t"), connect(b, doomed, "t"), connect(doomed, c, "x"), connect(doomed, c, "y"));
    Edge unrelated = connect(a, b, "t");

    UUID eventId = UUID.randomUUID();
    gateway.publishTokenEvent("token.deleted", doomed, eventId, "delete-request");

    for (Edge edge : touching) {
      List<Received<EventMessage>> events = gateway.awaitEvents(edge.connectionId().toString(), 2);
      Received<EventMessage> removed = events.get(1);
      assertThat(removed.value().type()).isEqualTo("graph.disconnected");
      assertThat(Json.convert(removed.value().data(), GraphDisconnected.class)).isEqualTo(new GraphDisconnected(
          edge.connectionId(), edge.sourceId(), edge.targetId(), GraphDisconnected.TOKEN_DELETED));
      assertThat(removed.value().correlationId()).isEqualTo("delete-request");
      assertThat(removed.record().key()).isEqualTo(edge.sourceId().toString());
      assertThat(removed.header("ce_subject")).isEqualTo(edge.connectionId().toString());
    }
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE source_id = ? OR target_id = ?", doomed.value(),
        doomed.value())).isZero();
    assertThat(SQL.number("SELECT count(*) FROM edges WHERE connection_id = ?", unrelated.connectionId().value()))
        .isEqualTo(1);
    assertThat(SQL.text("SELECT deleted::text FROM tokens WHERE token_id = ?", doomed.value())).isEqualTo("true");

    // token-service's relay may publish the same event again, at a new offset.
    RecordMetadata again = gateway.publishTokenEvent("token.deleted", doomed, eventId, "delete-request");
    awaitPositionPast(again);
    // Any event the repeat caused was written before the position moved, so it is published before
    // these sentinels, which land on the same graph event partitions as the removed edges' events.
    for (Edge edge : touching) {
      TokenId sentinel = tokenOnGraphEventPartitionOf(edge.sourceId());
      gateway.created(sentinel);
      Edge marker = connect(sentinel, a, "sentinel");
      gateway.awaitEvents(marker.connectionId().toString(), 1);
    }
    for (Edge edge : touching) {
      assertThat(gateway.eventsOf(edge.connectionId().toString())).extracting(e -> e.value().type())
          .as("one connected, one disconnected, no repeat").containsExactly("graph.connected", "graph.disconnected");
    }
  }

  @Test
  void aDeletedTokenCannotBeConnectedAnyMore() {
    TokenId doomed = TokenId.random();
    TokenId other = TokenId.random();
    gateway.created(doomed, other);
    gateway.publishTokenEvent("token.deleted", doomed, UUID.randomUUID(), "delete");

    ErrorPayload asSource = error(request(doomed, other, "after"));
    ErrorPayload asTarget = error(request(other, doomed, "after"));

    assertThat(asSource.code().name()).isEqualTo("NOT_FOUND");
    assertThat(asSource.message()).isEqualTo("Source token " + doomed + " not found");
    assertThat(asTarget.code().name()).isEqualTo("NOT_FOUND");
    assertThat(asTarget.message()).isEqualTo("Target token " + doomed + " not found");
  }

  @Test
  void aTokenCreatedAgainAfterItsDeletionIsLiveAgain() {
    TokenId token = TokenId.random();
    TokenId other = TokenId.random();
    gateway.created(token, other);
    gateway.publishTokenEvent("token.deleted", token, UUID.randomUUID(), "delete");
    gateway.created(token);

    assertThat(request(token, other, "reborn").type()).isEqualTo("graph.connected");
  }

  @Test
  void anUnreadableTokenEventIsDeadLetteredAndTheProjectionMovesOn() {
    TokenId token = TokenId.random();
    byte[] poison = ("not json " + token).getBytes(StandardCharsets.UTF_8);
    RecordMetadata sent = gateway.sendRaw(TOPICS.tokenEvents(), token.toString(), poison, Map.of());

    ConsumerRecord<String, byte[]> dead = gateway.awaitDeadLetter(value -> Arrays.equals(value, poison));
    assertThat(dead.topic()).isEqualTo(TOPICS.tokenEvents() + "-dlt");
    assertThat(dead.key()).isEqualTo(token.toString());
    assertThat(dead.partition()).isEqualTo(sent.partition());
    for (var header : dead.headers()) {
      assertThat(header.key()).as("no Java class names or stack traces on the wire")
          .doesNotContain("fqcn", "stacktrace");
    }
    awaitPositionPast(sent);

    TokenId other = TokenId.random();
    gateway.created(token, other);
    assertThat(request(token, other, "after-poison").type()).isEqualTo("graph.connected");
  }

  @Test
  void otherTokenEventTypesOnlyMoveThePosition() {
    TokenId token = TokenId.random();
    RecordMetadata sent = gateway.publishTokenEvent("token.renamed", token, UUID.randomUUID(), null);

    awaitPositionPast(sent);

    assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", token.value())).isZero();
  }

  @Test
  void aConnectWhoseTokenTheProjectionCannotReachInTimeIsUnavailableAndARetryIsDecidedAfresh() throws Exception {
    TokenId token = TokenId.random();
    TokenId other = tokenOnTokenEventPartitionOf(token);
    int partition = BuiltInPartitioner.partitionForKey(bytes(token), PARTITIONS);
    CommandMessage connect = gateway.command("graph.connect", Payloads.connect(token, other, "stuck"));

    try (Connection blocker = DriverManager.getConnection(Sql.jdbcUrl(DATABASE), DATABASE.user(), DATABASE.password())) {
      blocker.setAutoCommit(false);
      // Holds the projection's position row of the partition: the projection cannot apply anything there.
      try (PreparedStatement lock = blocker.prepareStatement(
          "INSERT INTO projection_positions (topic, partition, next_offset) VALUES (?, ?, 0)"
              + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = projection_positions.next_offset")) {
        lock.setString(1, TOPICS.tokenEvents());
        lock.setInt(2, partition);
        lock.executeUpdate();
      }
      gateway.created(token, other);

      ErrorPayload error = error(gateway.request(token.toString(), connect).value());

      assertThat(error.code().name()).isEqualTo("UNAVAILABLE");
      assertThat(error.message()).isEqualTo("token projection is catching up, retry");
      assertThat(SQL.number("SELECT count(*) FROM processed_commands WHERE command_id = ?", connect.commandId()))
          .as("not an outcome").isZero();
      blocker.rollback();
    }

    ReplyMessage retried = gateway.request(token.toString(), connect).value();

    assertThat(retried.type()).isEqualTo("graph.connected");
    assertThat(Json.convert(retried.payload(), Edge.class).connectionId())
        .isEqualTo(ConnectionId.derivedFrom(connect.commandId()));
  }

  private Edge connect(TokenId source, TokenId target, String type) {
    ReplyMessage reply = request(source, target, type);
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("graph.connected");
    return Json.convert(reply.payload(), Edge.class);
  }

  private ReplyMessage request(TokenId source, TokenId target, String type) {
    return gateway.request(source.toString(), gateway.command("graph.connect", Payloads.connect(source, target, type)))
        .value();
  }

  private static void awaitPositionPast(RecordMetadata record) {
    await().atMost(GatewayDouble.WAIT).until(() -> SQL.number(
        "SELECT coalesce(max(next_offset), 0) FROM projection_positions WHERE topic = ? AND partition = ?",
        record.topic(), record.partition()) > record.offset());
  }

  /** A fresh token whose graph events (keyed by it as a source) land on the same partition as those of {@code of}. */
  private static TokenId tokenOnGraphEventPartitionOf(TokenId of) {
    return tokenOnTokenEventPartitionOf(of);
  }

  /** A fresh token on the same partition as {@code of} (every topic has {@link #PARTITIONS} partitions). */
  private static TokenId tokenOnTokenEventPartitionOf(TokenId of) {
    int partition = BuiltInPartitioner.partitionForKey(bytes(of), PARTITIONS);
    while (true) {
      TokenId token = TokenId.random();
      if (BuiltInPartitioner.partitionForKey(bytes(token), PARTITIONS) == partition) {
        return token;
      }
    }
  }

  private static byte[] bytes(TokenId token) {
    return token.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ErrorPayload error(ReplyMessage reply) {
    assertThat(reply.type()).as("%s", reply.payload()).isEqualTo("error");
    return Json.convert(reply.payload(), ErrorPayload.class);
  }
}
