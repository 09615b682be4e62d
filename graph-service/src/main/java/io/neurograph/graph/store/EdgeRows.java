package io.neurograph.graph.store;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.Neighbor;
import io.neurograph.contracts.tokens.TokenId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Mapping between the {@code edges} table and the contract records. */
final class EdgeRows {

  /** Every column an {@link Edge} is built from; metadata as text so Jackson parses it, not the driver. */
  static final String COLUMNS =
      "connection_id, source_id, target_id, type, weight, bidirectional, decay_rate,"
          + " CAST(metadata AS text) AS metadata, created_at";

  /** The columns of a {@link Neighbor}. */
  static final String NEIGHBOR_COLUMNS = "connection_id, source_id, target_id, type, weight";

  private EdgeRows() {}

  static Edge edge(Readable row) {
    return new Edge(
        connectionId(row),
        tokenId(row, "source_id"),
        tokenId(row, "target_id"),
        row.get("type", String.class),
        row.get("weight", Double.class),
        row.get("bidirectional", Boolean.class),
        row.get("decay_rate", Double.class),
        (ObjectNode) Json.parse(row.get("metadata", String.class)),
        instant(row, "created_at"));
  }

  static Neighbor neighbor(Readable row) {
    return new Neighbor(
        connectionId(row),
        tokenId(row, "source_id"),
        tokenId(row, "target_id"),
        row.get("type", String.class),
        row.get("weight", Double.class));
  }

  static RemovedEdge removed(Readable row) {
    return new RemovedEdge(
        connectionId(row), tokenId(row, "source_id"), tokenId(row, "target_id"), instant(row, "removed_at"));
  }

  static ConnectionId connectionId(Readable row) {
    return new ConnectionId(row.get("connection_id", UUID.class));
  }

  static TokenId tokenId(Readable row, String column) {
    return new TokenId(row.get(column, UUID.class));
  }

  static Instant instant(Readable row, String column) {
    return row.get(column, OffsetDateTime.class).toInstant();
  }
}
