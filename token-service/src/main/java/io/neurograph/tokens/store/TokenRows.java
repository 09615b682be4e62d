package io.neurograph.tokens.store;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.Vector8;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Mapping between the {@code tokens} table and {@link Token}. */
final class TokenRows {

  /** Every column a {@link Token} is built from; metadata as text so Jackson parses it, not the driver. */
  static final String COLUMNS =
      "token_id, type, coord_x, coord_y, coord_z, flags, weight, CAST(metadata AS text) AS metadata,"
          + " created_at, updated_at, version";

  private TokenRows() {}

  static Token token(Readable row) {
    return new Token(
        new TokenId(row.get("token_id", UUID.class)),
        row.get("type", String.class),
        vector(row.get("coord_x", Double[].class)),
        vector(row.get("coord_y", Double[].class)),
        vector(row.get("coord_z", Double[].class)),
        row.get("flags", Long.class),
        row.get("weight", Double.class),
        (ObjectNode) Json.parse(row.get("metadata", String.class)),
        instant(row, "created_at"),
        instant(row, "updated_at"),
        row.get("version", Long.class));
  }

  static Instant instant(Readable row, String column) {
    return row.get(column, OffsetDateTime.class).toInstant();
  }

  static Double[] array(Vector8 vector) {
    return vector.asList().toArray(Double[]::new);
  }

  private static Vector8 vector(Double[] values) {
    return Vector8.of(Arrays.asList(values));
  }
}
