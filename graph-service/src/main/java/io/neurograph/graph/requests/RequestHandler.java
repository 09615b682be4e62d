package io.neurograph.graph.requests;

import io.neurograph.contracts.messages.RequestType;
import reactor.core.publisher.Mono;

/**
 * Answers one request type. The payload is already validated against the type's spec and bound to its
 * record. Refusals (not found, conflict) are replies; an error signal means the request could not be
 * processed now and is retried.
 *
 * @param <P> payload record of the request type
 */
public interface RequestHandler<P> {

  /** The request type this handler answers. */
  RequestType<P> type();

  /** The reply to one request. */
  Mono<Reply> handle(P payload, Request request);
}
