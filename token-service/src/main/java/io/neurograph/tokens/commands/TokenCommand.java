package io.neurograph.tokens.commands;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.tokens.requests.Request;
import reactor.core.publisher.Mono;

/**
 * The decision of one state-changing request type, run inside the command's transaction after its id
 * was claimed. {@link DedupedCommand} adds the dedupe record, the outbox write and the after-commit work.
 */
interface TokenCommand<P> {

  /** The request type decided. */
  RequestType<P> type();

  /** Applies the change (or refuses it) within the current transaction. */
  Mono<CommandOutcome> decide(P payload, Request request);
}
