package io.neurograph.gateway.system;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.Auth;
import io.neurograph.contracts.system.Authenticated;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.gateway.auth.AuthProperties;
import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.auth.TokenVerifier;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.session.Session;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code auth {token}} → {@code authenticated {subject, expires_at}}. Mode {@code jwt}: authenticates the
 * connection, or on an authenticated one replaces the principal and its expiry (subscriptions stay); a
 * token that does not verify, or names another subject than the connection's, is {@code UNAUTHENTICATED}
 * and changes nothing. Mode {@code none}: every
 * connection is anonymous and the token is not inspected.
 */
@Component
class AuthHandler implements RequestHandler {

  private final AuthProperties properties;
  private final TokenVerifier verifier;

  AuthHandler(AuthProperties properties, TokenVerifier verifier) {
    this.properties = properties;
    this.verifier = verifier;
  }

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.AUTH);
  }

  @Override
  public Mono<Void> handle(Session session, Request request) {
    if (!properties.enabled()) {
      reply(session, request, Principal.ANONYMOUS);
      return Mono.empty();
    }
    Auth auth = request.value(SystemMessages.AUTH);
    return verifier.verify(auth.token())
        .doOnNext(principal -> {
          Principal current = session.principal();
          if (current != null && !current.subject().equals(principal.subject())) {
            // A refresh renews the same identity; another user must open a connection of their own, so
            // subscriptions and in-flight requests never change hands.
            Replies.error(session, request, ErrorCode.UNAUTHENTICATED,
                "A refresh must keep the subject; open a new connection for another one");
            return;
          }
          session.authenticate(principal);
          reply(session, request, principal);
        })
        .onErrorResume(TokenVerifier.InvalidToken.class, error -> {
          // Policy: a refused token costs this request only; a previous principal (if any) stays.
          Replies.error(session, request, ErrorCode.UNAUTHENTICATED, error.getMessage());
          return Mono.empty();
        })
        .then();
  }

  private static void reply(Session session, Request request, Principal principal) {
    Replies.reply(session, request, "authenticated",
        new Authenticated(principal.subject(), principal.expiresAtMillis()));
  }
}
