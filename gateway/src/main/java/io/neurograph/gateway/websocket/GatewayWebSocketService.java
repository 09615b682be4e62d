package io.neurograph.gateway.websocket;

import io.neurograph.gateway.auth.AuthProperties;
import io.neurograph.gateway.auth.BearerTokens;
import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.auth.TokenVerifier;
import io.neurograph.gateway.session.SessionRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * The handshake, with the gateway's admission rules: an invalid {@code client_id} is HTTP 400, in mode
 * {@code jwt} a token (header or {@code access_token}) that does not verify is HTTP 401, and a full instance
 * refuses new connections with HTTP 503 before upgrading (clients then try another instance). A browser
 * {@code Origin} outside {@code allowed-origins} is HTTP 403.
 */
final class GatewayWebSocketService extends HandshakeWebSocketService {

  /** Session attribute holding the principal of a token accepted at the handshake. */
  static final String PRINCIPAL = GatewayWebSocketService.class.getName() + ".principal";

  private final SessionRegistry registry;
  private final AuthProperties auth;
  private final TokenVerifier verifier;
  private final AllowedOrigins origins;

  GatewayWebSocketService(GatewayUpgradeStrategy strategy, SessionRegistry registry, AuthProperties auth,
      TokenVerifier verifier, AllowedOrigins origins) {
    super(strategy);
    this.origins = origins;
    this.registry = registry;
    this.auth = auth;
    this.verifier = verifier;
  }

  @Override
  public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
    String origin = exchange.getRequest().getHeaders().getOrigin();
    if (origin != null && !origins.allows(origin)) {
      // Cross-site WebSocket hijacking guard: a browser page from elsewhere may not use a user's connection.
      // Checked first, so such a page learns nothing (no 400/401/503 distinctions).
      exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
      return exchange.getResponse().setComplete();
    }
    var clientId = Handshakes.clientId(exchange.getRequest().getURI());
    if (clientId.isPresent() && !Handshakes.isValidClientId(clientId.get())) {
      return Mono.error(new ServerWebInputException(
          "client_id must be 1..128 characters of letters, digits and . _ : @ -"));
    }
    var token = auth.enabled() ? BearerTokens.from(exchange.getRequest()) : java.util.Optional.<String>empty();
    if (token.isEmpty()) {
      // Mode none, or the client authenticates with an auth frame within the deadline.
      return admit(exchange, handler, null);
    }
    return verifier.verify(token.get())
        .flatMap(principal -> admit(exchange, handler, principal))
        .onErrorResume(TokenVerifier.InvalidToken.class, error -> {
          // Policy: a token that does not verify refuses the handshake with a bare 401; answered here rather
          // than via an exception so no error handler logs the request URI (which may hold the token).
          exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
          exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
          return exchange.getResponse().setComplete();
        });
  }

  private Mono<Void> admit(ServerWebExchange exchange, WebSocketHandler handler, Principal principal) {
    if (!registry.tryReserve()) {
      return Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "connection limit reached"));
    }
    // The reservation belongs to the session once the handler runs; if the upgrade never gets that far,
    // give it back.
    AtomicBoolean claimed = new AtomicBoolean();
    WebSocketHandler claiming = session -> {
      claimed.set(true);
      if (principal != null) {
        session.getAttributes().put(PRINCIPAL, principal);
      }
      return handler.handle(session);
    };
    return super.handleRequest(exchange, claiming)
        .doFinally(signal -> {
          if (!claimed.get()) {
            registry.releaseReservation();
          }
        });
  }
}
