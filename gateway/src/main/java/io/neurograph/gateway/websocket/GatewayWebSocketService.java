package io.neurograph.gateway.websocket;

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
 * The handshake, with the gateway's admission rules: an invalid {@code client_id} is HTTP 400, and a full
 * instance refuses new connections with HTTP 503 before upgrading (clients then try another instance).
 */
final class GatewayWebSocketService extends HandshakeWebSocketService {

  private final SessionRegistry registry;

  GatewayWebSocketService(GatewayUpgradeStrategy strategy, SessionRegistry registry) {
    super(strategy);
    this.registry = registry;
  }

  @Override
  public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
    var clientId = Handshakes.clientId(exchange.getRequest().getURI());
    if (clientId.isPresent() && !Handshakes.isValidClientId(clientId.get())) {
      return Mono.error(new ServerWebInputException(
          "client_id must be 1..128 characters of letters, digits and . _ : @ -"));
    }
    if (!registry.tryReserve()) {
      return Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "connection limit reached"));
    }
    // The reservation belongs to the session once the handler runs; if the upgrade never gets that far,
    // give it back.
    AtomicBoolean claimed = new AtomicBoolean();
    WebSocketHandler claiming = session -> {
      claimed.set(true);
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
