package io.neurograph.graph.commands;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.requests.Request;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The decision of one state-changing request type, run inside the command's transaction after its id
 * was claimed. {@link DedupedCommand} adds the dedupe record, the outbox write, the after-commit work and
 * the wait for the token projection.
 */
interface GraphCommand<P> {

  /** The request type decided. */
  RequestType<P> type();

  /**
   * Applies the change (or refuses it) within the current transaction; by then the projection has
   * caught up on the tokens of {@link #catchUpFirst}.
   */
  Mono<CommandOutcome> decide(P payload, Request request);

  /**
   * Tokens whose acknowledged events the projection must have applied before this command is decided at
   * all (none by default). A connect names its two tokens: it must see a deletion the client was already
   * told about, not only a creation.
   */
  default Set<TokenId> catchUpFirst(P payload) {
    return Set.of();
  }
}
