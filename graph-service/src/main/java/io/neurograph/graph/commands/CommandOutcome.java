package io.neurograph.graph.commands;

import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.requests.Reply;
import java.util.List;
import java.util.Set;

/**
 * What a command decided, inside its transaction: the reply to record and send, the events to write to
 * the outbox and the tokens whose cached reads become stale once it commits; or, instead of all that,
 * the tokens the projection must catch up on before the command can be decided.
 */
record CommandOutcome(Reply reply, List<PendingEvent> events, Set<TokenId> touched, Set<TokenId> awaitProjection) {

  /** A change of the edge between two tokens, with one event. */
  static CommandOutcome changed(Reply reply, PendingEvent event, TokenId source, TokenId target) {
    return new CommandOutcome(reply, List.of(event), Set.of(source, target), Set.of());
  }

  /** A business refusal: recorded as the command's outcome, but nothing changed. */
  static CommandOutcome refused(Reply reply) {
    return new CommandOutcome(reply, List.of(), Set.of(), Set.of());
  }

  /** Not decidable yet: the projection may not have applied these tokens' events. Nothing is recorded. */
  static CommandOutcome awaitProjection(Set<TokenId> tokens) {
    return new CommandOutcome(null, List.of(), Set.of(), Set.copyOf(tokens));
  }

  /** Whether the command must wait for the projection and be decided again. */
  boolean waitsForProjection() {
    return !awaitProjection.isEmpty();
  }
}
