package io.neurograph.tokens.commands;

import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.tokens.store.TokenValues;

/** The pure decision of a {@code token.update} against the current token. */
sealed interface UpdateDecision {

  /** The token does not exist. */
  record NotFound() implements UpdateDecision {}

  /** {@code expected_version} names another version than the current one. */
  record VersionConflict(long expected, long actual) implements UpdateDecision {}

  /** Replace the client fields with these values. */
  record Apply(TokenValues values) implements UpdateDecision {}

  /** Decides an update; {@code current} is {@code null} when the token does not exist. */
  static UpdateDecision decide(Token current, TokenUpdate update) {
    if (current == null) {
      return new NotFound();
    }
    if (update.expectedVersion() != null && update.expectedVersion() != current.version()) {
      return new VersionConflict(update.expectedVersion(), current.version());
    }
    return new Apply(merge(current, update));
  }

  /** Fields present in the update replace the current ones (metadata as a whole); absent fields stay. */
  static TokenValues merge(Token current, TokenUpdate update) {
    return new TokenValues(
        update.type() != null ? update.type() : current.type(),
        update.coordX() != null ? update.coordX() : current.coordX(),
        update.coordY() != null ? update.coordY() : current.coordY(),
        update.coordZ() != null ? update.coordZ() : current.coordZ(),
        update.flags() != null ? update.flags() : current.flags(),
        update.weight() != null ? update.weight() : current.weight(),
        update.metadata() != null ? update.metadata() : current.metadata());
  }
}
