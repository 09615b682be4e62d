package io.neurograph.contracts.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** An edge's id: a UUID, written as its canonical lower-case string. */
public record ConnectionId(UUID value) {

  /** Requires a non-null UUID. */
  public ConnectionId {
    Objects.requireNonNull(value, "connection id");
  }

  /** Parses the canonical string form; throws {@link IllegalArgumentException} otherwise. */
  @JsonCreator
  public static ConnectionId of(String text) {
    return new ConnectionId(UUID.fromString(text));
  }

  /**
   * The id a connect command's edge gets: derived from the command id, so a re-sent connect (same client
   * id, same request id) names the same edge.
   */
  public static ConnectionId derivedFrom(String commandId) {
    return new ConnectionId(UUID.nameUUIDFromBytes(("connection:" + commandId).getBytes(StandardCharsets.UTF_8)));
  }

  @JsonValue
  @Override
  public String toString() {
    return value.toString();
  }
}
