package io.neurograph.contracts.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which edges of a token {@code graph.neighbors} returns. */
public enum Direction {
  /** Edges whose target is the token. */
  INCOMING,
  /** Edges whose source is the token. */
  OUTGOING,
  /** Both. */
  BOTH;

  /** The wire name. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; throws {@link IllegalArgumentException} for anything else. */
  @JsonCreator
  public static Direction of(String text) {
    for (Direction direction : values()) {
      if (direction.wireName().equals(text)) {
        return direction;
      }
    }
    throw new IllegalArgumentException("unknown direction: " + text);
  }
}
