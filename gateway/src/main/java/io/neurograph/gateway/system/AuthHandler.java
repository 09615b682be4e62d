package io.neurograph.gateway.system;

import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.Authenticated;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.session.Session;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code auth {token}}. Authentication is not enabled in this version (mode {@code none}): every
 * connection is anonymous, the token is not inspected, and the reply says so.
 */
@Component
class AuthHandler implements RequestHandler {

  /** Subject of every connection while authentication is off. */
  static final String ANONYMOUS = "anonymous";

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.AUTH);
  }

  @Override
  public Mono<Void> handle(Session session, DecodedFrame.Accepted request) {
    Replies.reply(session, request, "authenticated", new Authenticated(ANONYMOUS, null));
    return Mono.empty();
  }
}
