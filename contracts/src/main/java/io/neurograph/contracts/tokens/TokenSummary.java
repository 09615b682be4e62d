package io.neurograph.contracts.tokens;

import java.time.Instant;

/** One row of a {@code token.list} page. */
public record TokenSummary(TokenId tokenId, String type, double weight, Instant createdAt) {

  /** The summary of a full token. */
  public static TokenSummary of(Token t) {
    return new TokenSummary(t.tokenId(), t.type(), t.weight(), t.createdAt());
  }
}
