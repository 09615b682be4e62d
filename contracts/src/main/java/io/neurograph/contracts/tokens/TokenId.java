package io.neurograph.contracts.tokens;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** A token's id: a UUID, written as its canonical lower-case string. */
public record TokenId(UUID value) {

  /** Requires a non-null UUID. */
  public TokenId {
    Objects.requireNonNull(value, "token id");
  }

  /** Parses the canonical string form; throws {@link IllegalArgumentException} otherwise. */
  @JsonCreator
  public static TokenId of(String text) {
    return new TokenId(UUID.fromString(text));
  }

  /** A random new id. */
  public static TokenId random() {
    return new TokenId(UUID.randomUUID());
  }

  /**
   * The id a create command gets when the client chose none: derived from the command id, so a re-sent
   * create (same client id, same request id) names the same token and lands on the same partition.
   */
  public static TokenId derivedFrom(String commandId) {
    return new TokenId(UUID.nameUUIDFromBytes(("token:" + commandId).getBytes(StandardCharsets.UTF_8)));
  }

  @JsonValue
  @Override
  public String toString() {
    return value.toString();
  }
}
