package io.neurograph.tokens.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.tokens.it.GatewayDouble.Received;
import io.neurograph.tokens.it.Payloads;
import io.neurograph.tokens.it.SharedContextTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A command's reply never overtakes its events: consumers of the event topic (graph-service's token
 * projection) can always catch up to what a client was told.
 */
class ReplyAfterPublishTest extends SharedContextTest {

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
}
