package io.neurograph.graph.commands;

import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.requests.Reply;
import java.util.List;
import java.util.Set;

/**
 * What a command decided, inside its transaction: the reply to record and send, the events to write to
 * the outbox and the tokens whose cached reads become stale once it commits.
 */
record CommandOutcome(Reply reply, List<PendingEvent> events, Set<TokenId> touched) {

  /** A change of the edge between two tokens, with one event. */
  static CommandOutcome changed(Reply reply, PendingEvent event, TokenId source, TokenId target) {
    return new CommandOutcome(reply, List.of(event), Set.of(source, target));
  }

  /** A business refusal: recorded as the command's outcome, but nothing changed. */
  static CommandOutcome refused(Reply reply) {
    return new CommandOutcome(reply, List.of(), Set.of());
  }

}
