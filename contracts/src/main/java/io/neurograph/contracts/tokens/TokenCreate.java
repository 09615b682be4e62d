package io.neurograph.contracts.tokens;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code token.create}. Every field has a default. {@code token_id} (ext) may be chosen by the client;
 * when absent the gateway derives it from the request's idempotency key.
 */
public record TokenCreate(
    TokenId tokenId,
    String type,
    Vector8 coordX,
    Vector8 coordY,
    Vector8 coordZ,
    long flags,
    double weight,
    ObjectNode metadata) {

  /** A copy naming the given token id. */
  public TokenCreate withTokenId(TokenId id) {
    return new TokenCreate(id, type, coordX, coordY, coordZ, flags, weight, metadata);
  }
}
