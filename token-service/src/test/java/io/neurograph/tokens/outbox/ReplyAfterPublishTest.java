package io.neurograph.tokens.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.it.GatewayDouble;
import io.neurograph.tokens.it.GatewayDouble.Received;
import io.neurograph.tokens.it.Payloads;
import io.neurograph.tokens.it.SharedContextTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * A command's reply never overtakes its events: consumers of the event topic (graph-service's token
 * projection) can always catch up to what a client was told.
 */
class ReplyAfterPublishTest extends SharedContextTest {

  @Autowired
  OutboxRelay relay;
  @Autowired
  DatabaseClient db;
  @Autowired
  TransactionalOperator transactions;
  @Autowired
  KafkaTemplate<String, byte[]> kafka;
  @Autowired
  TokenCache cache;
  @Autowired
  OutboxMetrics outboxMetrics;

  @Test
  void theReplyWaitsUntilTheRelayPublishedTheEvents() throws Exception {
    TokenId id = TokenId.random();
    CommandMessage command = gateway.command("token.create", Payloads.create(id, "reply-after-publish"));
    try (Connection session = DriverManager.getConnection(DATABASE.jdbcUrl(), DATABASE.user(), DATABASE.password())) {
      // Hold the relay's advisory lock, as a relay of another instance would while it publishes.
      try (PreparedStatement lock = session.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, OutboxRelay.ADVISORY_LOCK_KEY);
        lock.execute();
      }
      gateway.send(id.toString(), command);

      assertThat(gateway.repliedWithin(command.requestId(), Duration.ofSeconds(2)))
          .as("no reply while the event cannot be published")
          .isFalse();
      assertThat(SQL.number("SELECT count(*) FROM tokens WHERE token_id = ?", id.value()))
          .as("the command itself committed")
          .isEqualTo(1);
      assertThat(gateway.eventsOf(id.toString())).isEmpty();

      try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        unlock.setLong(1, OutboxRelay.ADVISORY_LOCK_KEY);
        unlock.execute();
      }
    }

    Received<ReplyMessage> reply = gateway.awaitReply(command.requestId());
    Received<EventMessage> event = gateway.awaitEvents(id.toString(), 1).get(0);
    assertThat(reply.value().type()).isEqualTo("token.created");
    assertThat(event.record().timestamp()).isLessThanOrEqualTo(reply.record().timestamp());
  }

  @Test
  void aWaiterWhoseRowsWerePublishedBeforeItListenedDoesNotWaitForTheTablePoll() {
    // With many commands in flight, another command's wake-up often runs the round that publishes a
    // command's rows before that command listens (it first invalidates the cache). A relay of this test's
    // own polls the table only every hour and never gives up waiting in between, and the service's relay
    // pauses, so nothing but what the test's relay remembers can end the wait.
    var hourly = new OutboxProperties(
        Duration.ofHours(1), 100, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(5));
    OutboxRelay late = new OutboxRelay(db, transactions, kafka, cache, hourly, outboxMetrics);
    relay.stop();
    try {
      String subject = TokenId.random().toString();
      String eventId = UUID.randomUUID().toString();
      String value = "{\"event_id\":\"" + eventId + "\",\"type\":\"token.deleted\",\"version\":1,"
          + "\"occurred_at\":\"2026-11-26T10:00:00Z\",\"source\":\"neurograph/token-service\",\"subject\":\""
          + subject + "\",\"correlation_id\":\"late-waiter\",\"data\":{\"token_id\":\"" + subject + "\"}}";
      long rowId = SQL.number("INSERT INTO outbox (event_id, topic, message_key, event_type, value, occurred_at)"
              + " VALUES (?::uuid, ?, ?, 'token.deleted', ?, '2026-11-26T10:00:00Z') RETURNING id",
          eventId, TOPICS.tokenEvents(), subject, value);
      late.drain().block(GatewayDouble.WAIT);
      assertThat(SQL.number("SELECT count(*) FROM outbox WHERE id = ?", rowId)).as("published").isZero();

      assertThatCode(() -> late.awaitPublished(List.of(rowId)).block(GatewayDouble.WAIT))
          .as("the wait ends without the table poll")
          .doesNotThrowAnyException();
    } finally {
      relay.start();
    }
  }
}
