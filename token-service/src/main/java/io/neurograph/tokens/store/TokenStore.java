package io.neurograph.tokens.store;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.tokens.Point3;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code tokens} table. Every write returns the row as PostgreSQL stored it ({@code RETURNING}), so
 * replies, events and later reads carry the same values (jsonb key order, microsecond timestamps).
 * Writes join the caller's R2DBC transaction.
 */
@Component
public class TokenStore {

  private final DatabaseClient db;

  TokenStore(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts version 1 of a token; empty when the id is taken. */
  public Mono<Token> insert(TokenId id, TokenValues values, String createdBy) {
    var spec = db.sql(
            "INSERT INTO tokens (token_id, type, coord_x, coord_y, coord_z, flags, weight, metadata,"
                + " created_at, updated_at, version, created_by)"
                + " VALUES (:id, :type, :x, :y, :z, :flags, :weight, CAST(:metadata AS jsonb), now(), now(), 1,"
                + " :createdBy)"
                + " ON CONFLICT (token_id) DO NOTHING RETURNING " + TokenRows.COLUMNS)
        .bind("id", id.value());
    spec = bindValues(spec, values);
    spec = createdBy == null ? spec.bindNull("createdBy", String.class) : spec.bind("createdBy", createdBy);
    return spec.map(TokenRows::token).one();
  }

  /** The current token, locked until the transaction ends so changes to one token serialize. */
  public Mono<Token> lock(TokenId id) {
    return db.sql("SELECT " + TokenRows.COLUMNS + " FROM tokens WHERE token_id = :id FOR UPDATE")
        .bind("id", id.value())
        .map(TokenRows::token)
        .one();
  }

  /** Replaces the client fields, bumps the version; empty when the token does not exist. */
  public Mono<Token> update(TokenId id, TokenValues values) {
    // greatest(): updated_at never moves backwards, even if transactions start out of order.
    var spec = db.sql(
            "UPDATE tokens SET type = :type, coord_x = :x, coord_y = :y, coord_z = :z, flags = :flags,"
                + " weight = :weight, metadata = CAST(:metadata AS jsonb),"
                + " updated_at = greatest(now(), updated_at), version = version + 1"
                + " WHERE token_id = :id RETURNING " + TokenRows.COLUMNS)
        .bind("id", id.value());
    return bindValues(spec, values).map(TokenRows::token).one();
  }

  /** Deletes a token; emits the deletion time, or empty when the token does not exist. */
  public Mono<Instant> delete(TokenId id) {
    return db.sql("DELETE FROM tokens WHERE token_id = :id RETURNING now() AS deleted_at")
        .bind("id", id.value())
        .map(row -> TokenRows.instant(row, "deleted_at"))
        .one();
  }

  /** One token, or empty. */
  public Mono<Token> find(TokenId id) {
    return db.sql("SELECT " + TokenRows.COLUMNS + " FROM tokens WHERE token_id = :id")
        .bind("id", id.value())
        .map(TokenRows::token)
        .one();
  }

  /** A page in (created_at, token_id) order, optionally of one type. */
  public Mono<List<Token>> page(String type, int limit, int offset) {
    String where = type == null ? "" : " WHERE type = :type";
    var spec = db.sql("SELECT " + TokenRows.COLUMNS + " FROM tokens" + where
            + " ORDER BY created_at, token_id LIMIT :limit OFFSET :offset")
        .bind("limit", limit)
        .bind("offset", offset);
    if (type != null) {
      spec = spec.bind("type", type);
    }
    return spec.map(TokenRows::token).all().collectList();
  }

  /** Number of tokens, optionally of one type. */
  public Mono<Long> count(String type) {
    var spec = type == null
        ? db.sql("SELECT count(*) AS n FROM tokens")
        : db.sql("SELECT count(*) AS n FROM tokens WHERE type = :type").bind("type", type);
    return spec.map(row -> row.get("n", Long.class)).one();
  }

  /**
   * Tokens whose coordinates in space L(level+1) lie in the box [min, max], in (created_at, token_id)
   * order.
   */
  public Mono<List<Token>> search(int level, Point3 min, Point3 max, int limit) {
    // PostgreSQL arrays are 1-based; level is 0-based.
    return db.sql("SELECT " + TokenRows.COLUMNS + " FROM tokens"
            + " WHERE coord_x[:i] BETWEEN :minX AND :maxX"
            + " AND coord_y[:i] BETWEEN :minY AND :maxY"
            + " AND coord_z[:i] BETWEEN :minZ AND :maxZ"
            + " ORDER BY created_at, token_id LIMIT :limit")
        .bind("i", level + 1)
        .bind("minX", min.x()).bind("maxX", max.x())
        .bind("minY", min.y()).bind("maxY", max.y())
        .bind("minZ", min.z()).bind("maxZ", max.z())
        .bind("limit", limit)
        .map(TokenRows::token)
        .all()
        .collectList();
  }

  private static DatabaseClient.GenericExecuteSpec bindValues(DatabaseClient.GenericExecuteSpec spec, TokenValues v) {
    return spec.bind("type", v.type())
        .bind("x", TokenRows.array(v.coordX()))
        .bind("y", TokenRows.array(v.coordY()))
        .bind("z", TokenRows.array(v.coordZ()))
        .bind("flags", v.flags())
        .bind("weight", v.weight())
        .bind("metadata", Json.write(v.metadata()));
  }
}
