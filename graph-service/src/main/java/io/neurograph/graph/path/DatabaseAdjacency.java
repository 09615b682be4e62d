package io.neurograph.graph.path;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * {@link Adjacency} over the {@code edges} table: one query per call, whatever the number of tokens.
 * Edges of every type count; several edges between the same two tokens are one step.
 */
public final class DatabaseAdjacency implements Adjacency {

  // Each branch filters on the leading column of an index: source_id leads the unique
  // (source_id, target_id, type) index, target_id leads edges_target_idx. A bound array (not a list)
  // keeps the statement text, and so its prepared plan, the same for any number of tokens.
  static final String SUCCESSORS =
      "SELECT source_id AS token_id, target_id AS neighbour_id FROM edges WHERE source_id = ANY(:ids)"
          + " UNION ALL"
          + " SELECT target_id, source_id FROM edges WHERE bidirectional AND target_id = ANY(:ids)";

  static final String PREDECESSORS =
      "SELECT target_id AS token_id, source_id AS neighbour_id FROM edges WHERE target_id = ANY(:ids)"
          + " UNION ALL"
          + " SELECT source_id, target_id FROM edges WHERE bidirectional AND source_id = ANY(:ids)";

  private final DatabaseClient db;

  /** Reads edges through the given client (and so joins its transaction, if any). */
  public DatabaseAdjacency(DatabaseClient db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Mono<Map<UUID, Set<UUID>>> successors(Collection<UUID> tokens) {
    return neighbours(SUCCESSORS, tokens);
  }

  @Override
  public Mono<Map<UUID, Set<UUID>>> predecessors(Collection<UUID> tokens) {
    return neighbours(PREDECESSORS, tokens);
  }

  private Mono<Map<UUID, Set<UUID>>> neighbours(String sql, Collection<UUID> tokens) {
    if (tokens.isEmpty()) {
      return Mono.just(Map.of());
    }
    UUID[] ids = tokens.toArray(UUID[]::new);
    return db.sql(sql)
        .bind("ids", ids)
        .map(row -> new Step(row.get("token_id", UUID.class), row.get("neighbour_id", UUID.class)))
        .all()
        .collect(Collectors.groupingBy(Step::from, Collectors.mapping(Step::to, Collectors.toSet())));
  }

  private record Step(UUID from, UUID to) {}
}
