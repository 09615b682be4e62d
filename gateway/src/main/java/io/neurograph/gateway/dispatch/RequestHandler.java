package io.neurograph.gateway.dispatch;


import io.neurograph.contracts.messages.RequestType;
import io.neurograph.gateway.session.Session;
import java.util.Set;
import reactor.core.publisher.Mono;

/** Handles the validated requests of some message types for one connection. */
public interface RequestHandler {

  /** The request types this handler answers. */
  Set<RequestType<?>> types();

  /**
   * Handles one request. Replies go to {@code session}; the returned Mono completes when the request is
   * finished (answered, refused or timed out) and must not error.
   */
  Mono<Void> handle(Session session, Request request);
}
