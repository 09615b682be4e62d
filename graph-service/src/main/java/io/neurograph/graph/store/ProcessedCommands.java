package io.neurograph.graph.store;

import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code processed_commands} table: one row per applied command id, holding the reply it got, so a
 * repeat is answered with the same outcome and changes nothing. Writes join the caller's transaction.
 */
@Component
public class ProcessedCommands {

  private final DatabaseClient db;

  ProcessedCommands(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Claims a command id for this transaction: true when it was new. A concurrent claim of the same id
   * waits for the other transaction and then sees its row.
   */
  public Mono<Boolean> claim(String commandId, String commandType) {
    return db.sql("INSERT INTO processed_commands (command_id, command_type) VALUES (:id, :type)"
            + " ON CONFLICT (command_id) DO NOTHING")
        .bind("id", commandId)
        .bind("type", commandType)
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  /** The recorded outcome of a command id. */
  public Mono<StoredOutcome> find(String commandId) {
    return db.sql("SELECT command_type, reply_type, reply FROM processed_commands WHERE command_id = :id")
        .bind("id", commandId)
        .map(row -> new StoredOutcome(
            row.get("command_type", String.class), row.get("reply_type", String.class), row.get("reply", String.class)))
        .one();
  }

  /** Records the reply of a claimed command id. */
  public Mono<Void> complete(String commandId, String replyType, String reply) {
    return db.sql("UPDATE processed_commands SET reply_type = :replyType, reply = :reply, processed_at = now()"
            + " WHERE command_id = :id")
        .bind("id", commandId)
        .bind("replyType", replyType)
        .bind("reply", reply)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Forgets up to {@code limit} command ids processed longer than {@code window} ago; emits how many. */
  public Mono<Long> purgeOlderThan(Duration window, int limit) {
    return db.sql("DELETE FROM processed_commands WHERE command_id IN (SELECT command_id FROM processed_commands"
            + " WHERE processed_at < now() - make_interval(secs => :seconds) LIMIT :limit)")
        .bind("seconds", window.toMillis() / 1000.0)
        .bind("limit", limit)
        .fetch()
        .rowsUpdated();
  }
}
