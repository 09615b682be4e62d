package io.neurograph.contracts.tokens;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** {@code token.data}: the reply to {@code token.get}, in the seed's shape (coordinates nested). */
public record TokenData(
    TokenId tokenId,
    String type,
    double weight,
    long flags,
    Coordinates coordinates,
    ObjectNode metadata,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /** The three axes of a token across the eight spaces. */
  public record Coordinates(Vector8 x, Vector8 y, Vector8 z) {}

  /** The seed-shaped view of a full token. */
  public static TokenData of(Token t) {
    return new TokenData(
        t.tokenId(),
        t.type(),
        t.weight(),
        t.flags(),
        new Coordinates(t.coordX(), t.coordY(), t.coordZ()),
        t.metadata(),
        t.createdAt(),
        t.updatedAt(),
        t.version());
  }
}
