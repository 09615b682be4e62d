package io.neurograph.graph.store;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphDegreeResult;
import io.neurograph.contracts.graph.GraphStatsResult;
import io.neurograph.contracts.graph.Neighbor;
import io.neurograph.contracts.tokens.TokenId;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code edges} table. Every write returns the row as PostgreSQL stored it ({@code RETURNING}), so
 * replies, events and later reads carry the same values (jsonb key order, microsecond timestamps). Counts
 * and graph numbers are computed by PostgreSQL, never by loading edges. Writes join the caller's R2DBC
 * transaction.
 */
@Component
public class EdgeStore {

  private final DatabaseClient db;

  EdgeStore(DatabaseClient db) {
    this.db = db;
  }

  /** The id of the edge with these ends and type, or empty. */
  public Mono<ConnectionId> find(TokenId source, TokenId target, String type) {
    return db.sql("SELECT connection_id FROM edges WHERE source_id = :source AND target_id = :target AND type = :type")
        .bind("source", source.value())
        .bind("target", target.value())
        .bind("type", type)
        .map(EdgeRows::connectionId)
        .one();
  }

  /**
   * Inserts an edge created now; empty when its id or its (source, target, type) is taken, including by a
   * transaction that commits meanwhile.
   */
  public Mono<Edge> insert(ConnectionId id, GraphConnect connect, String createdBy) {
    var spec = db.sql(
            "INSERT INTO edges (connection_id, source_id, target_id, type, weight, bidirectional, decay_rate,"
                + " metadata, created_at, created_by)"
                + " VALUES (:id, :source, :target, :type, :weight, :bidirectional, :decayRate,"
                + " CAST(:metadata AS jsonb), now(), :createdBy)"
                + " ON CONFLICT DO NOTHING RETURNING " + EdgeRows.COLUMNS)
        .bind("id", id.value())
        .bind("source", connect.sourceId().value())
        .bind("target", connect.targetId().value())
        .bind("type", connect.type())
        .bind("weight", connect.weight())
        .bind("bidirectional", connect.bidirectional())
        .bind("decayRate", connect.decayRate())
        .bind("metadata", Json.write(connect.metadata() == null ? Json.object() : connect.metadata()));
    spec = createdBy == null ? spec.bindNull("createdBy", String.class) : spec.bind("createdBy", createdBy);
    return spec.map(EdgeRows::edge).one();
  }

  /** Deletes one edge; empty when it does not exist. */
  public Mono<RemovedEdge> delete(ConnectionId id) {
    return db.sql("DELETE FROM edges WHERE connection_id = :id"
            + " RETURNING connection_id, source_id, target_id, now() AS removed_at")
        .bind("id", id.value())
        .map(EdgeRows::removed)
        .one();
  }

  /**
   * Deletes every edge that starts or ends at a token; emits them in (created_at, connection_id) order.
   * The edges are locked in connection id order first, so two deletions sharing edges (of both their
   * tokens) queue up instead of deadlocking; an edge another transaction removed meanwhile is skipped.
   */
  public Mono<List<RemovedEdge>> deleteTouching(TokenId token) {
    return db.sql("WITH doomed AS (SELECT connection_id FROM edges WHERE source_id = :token OR target_id = :token"
            + " ORDER BY connection_id FOR UPDATE),"
            + " removed AS (DELETE FROM edges USING doomed WHERE edges.connection_id = doomed.connection_id"
            + " RETURNING edges.connection_id, edges.source_id, edges.target_id, edges.created_at)"
            + " SELECT connection_id, source_id, target_id, now() AS removed_at FROM removed"
            + " ORDER BY created_at, connection_id")
        .bind("token", token.value())
        .map(EdgeRows::removed)
        .all()
        .collectList();
  }

  /**
   * A token's edges in one direction, optionally of one type, in (created_at, connection_id) order, plus
   * the number of all matching edges.
   */
  public Mono<NeighborPage> neighbors(TokenId token, Direction direction, String type, int limit) {
    String ends = switch (direction) {
      case OUTGOING -> "source_id = :token";
      case INCOMING -> "target_id = :token";
      case BOTH -> "(source_id = :token OR target_id = :token)";
    };
    // count(*) OVER () is computed before LIMIT: every row carries the total of all matching edges.
    var spec = db.sql("SELECT " + EdgeRows.NEIGHBOR_COLUMNS + ", count(*) OVER () AS total FROM edges"
            + " WHERE " + ends + (type == null ? "" : " AND type = :type")
            + " ORDER BY created_at, connection_id LIMIT :limit")
        .bind("token", token.value())
        .bind("limit", limit);
    if (type != null) {
      spec = spec.bind("type", type);
    }
    return spec.map(row -> new Row(EdgeRows.neighbor(row), row.get("total", Long.class)))
        .all()
        .collectList()
        .map(rows -> new NeighborPage(
            rows.stream().map(Row::neighbor).toList(), rows.isEmpty() ? 0L : rows.get(0).total()));
  }

  /** How many edges end and start at a token (zeros for an unknown token). */
  public Mono<GraphDegreeResult> degree(TokenId token) {
    return db.sql("SELECT count(*) FILTER (WHERE target_id = :token) AS in_degree,"
            + " count(*) FILTER (WHERE source_id = :token) AS out_degree"
            + " FROM edges WHERE source_id = :token OR target_id = :token")
        .bind("token", token.value())
        .map(row -> {
          long in = row.get("in_degree", Long.class);
          long out = row.get("out_degree", Long.class);
          return new GraphDegreeResult(token, in, out, in + out);
        })
        .one();
  }

  /** Existing tokens, edges, average degree {@code 2E/N} and density {@code E/(N(N-1))}, all by PostgreSQL. */
  public Mono<GraphStatsResult> stats() {
    return db.sql("SELECT n, e,"
            + " CASE WHEN n = 0 THEN 0 ELSE 2 * e::float8 / n END AS avg_degree,"
            + " CASE WHEN n < 2 THEN 0 ELSE e::float8 / (n::float8 * (n - 1)) END AS density"
            + " FROM (SELECT (SELECT count(*) FROM tokens WHERE NOT deleted) AS n,"
            + " (SELECT count(*) FROM edges) AS e) AS counts")
        .map(row -> new GraphStatsResult(
            row.get("n", Long.class), row.get("e", Long.class),
            row.get("avg_degree", Double.class), row.get("density", Double.class)))
        .one();
  }

  private record Row(Neighbor neighbor, long total) {}
}
