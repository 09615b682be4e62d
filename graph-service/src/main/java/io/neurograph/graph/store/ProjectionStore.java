package io.neurograph.graph.store;

import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The projection of token-service's tokens: {@code tokens} (existence, with tombstones), how far each
 * partition of the token event topic was applied ({@code projection_positions}) and the token events
 * already applied ({@code processed_events}). Writes join the caller's R2DBC transaction.
 */
@Component
public class ProjectionStore {

  private final DatabaseClient db;

  ProjectionStore(DatabaseClient db) {
    this.db = db;
  }

  /**
   * The live (not deleted) tokens among {@code ids}, each share-locked until the transaction ends: a
   * deletion of one of them (which updates its row) waits for this transaction, and a deletion that
   * committed first makes the token not live here.
   */
  public Mono<Set<TokenId>> lockLive(Collection<TokenId> ids) {
    List<UUID> values = ids.stream().map(TokenId::value).toList();
    return db.sql("SELECT token_id FROM tokens WHERE token_id IN (:ids) AND NOT deleted"
            + " ORDER BY token_id FOR SHARE")
        .bind("ids", values)
        .map(row -> new TokenId(row.get("token_id", UUID.class)))
        .all()
        .collect(Collectors.toSet());
  }

  /** Records that a token exists (again). */
  public Mono<Void> markLive(TokenId id) {
    return upsert(id, false);
  }

  /**
   * Records that a token was deleted: its row becomes a tombstone (inserted when unknown). Takes the row
   * lock, so it waits for connects holding the token share-locked.
   */
  public Mono<Void> markDeleted(TokenId id) {
    return upsert(id, true);
  }

  private Mono<Void> upsert(TokenId id, boolean deleted) {
    return db.sql("INSERT INTO tokens (token_id, deleted, updated_at) VALUES (:id, :deleted, now())"
            + " ON CONFLICT (token_id) DO UPDATE SET deleted = EXCLUDED.deleted, updated_at = now()")
        .bind("id", id.value())
        .bind("deleted", deleted)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * The next offset to apply of one partition (0 when none was applied), locked until the transaction
   * ends so two consumers of the partition (a rebalance in progress) apply a record one after the other.
   */
  public Mono<Long> lockPosition(String topic, int partition) {
    return db.sql("INSERT INTO projection_positions (topic, partition, next_offset) VALUES (:topic, :partition, 0)"
            + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = projection_positions.next_offset"
            + " RETURNING next_offset")
        .bind("topic", topic)
        .bind("partition", partition)
        .map(row -> row.get("next_offset", Long.class))
        .one();
  }

  /** Moves a partition's position forward to {@code nextOffset}; never backwards. */
  public Mono<Void> advance(String topic, int partition, long nextOffset) {
    return db.sql("INSERT INTO projection_positions (topic, partition, next_offset) VALUES (:topic, :partition, :next)"
            + " ON CONFLICT (topic, partition) DO UPDATE"
            + " SET next_offset = greatest(projection_positions.next_offset, EXCLUDED.next_offset)")
        .bind("topic", topic)
        .bind("partition", partition)
        .bind("next", nextOffset)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The next offset to apply of one partition as committed now (0 when none was applied). */
  public Mono<Long> position(String topic, int partition) {
    return db.sql("SELECT next_offset FROM projection_positions WHERE topic = :topic AND partition = :partition")
        .bind("topic", topic)
        .bind("partition", partition)
        .map(row -> row.get("next_offset", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  /** Records an applied token event id: true when it was new, false for a re-published event. */
  public Mono<Boolean> markProcessed(UUID eventId) {
    return db.sql("INSERT INTO processed_events (event_id) VALUES (:id) ON CONFLICT (event_id) DO NOTHING")
        .bind("id", eventId)
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  /** Forgets up to {@code limit} event ids applied longer than {@code window} ago; emits how many. */
  public Mono<Long> purgeEventsOlderThan(Duration window, int limit) {
    return db.sql("DELETE FROM processed_events WHERE event_id IN (SELECT event_id FROM processed_events"
            + " WHERE processed_at < now() - make_interval(secs => :seconds) LIMIT :limit)")
        .bind("seconds", window.toMillis() / 1000.0)
        .bind("limit", limit)
        .fetch()
        .rowsUpdated();
  }
}
