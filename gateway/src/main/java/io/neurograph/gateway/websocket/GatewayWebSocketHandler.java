package io.neurograph.gateway.websocket;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.system.ConnectionEstablished;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.gateway.auth.AuthProperties;
import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.RequestDispatcher;
import io.neurograph.gateway.observability.GatewayMetrics;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One connection as cooperating pipelines: inbound frames → dispatcher, the session's bounded queue plus
 * heartbeat pings → socket, an idle watch, and the close procedure (close frame, then a hard cut if the
 * peer does not let it through in time). The connection ends when all of them do.
 */
final class GatewayWebSocketHandler implements WebSocketHandler {

  private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
  private static final CloseStatus IDLE = new CloseStatus(1001, "idle timeout");
  private static final CloseStatus TOO_BIG = new CloseStatus(1009, "message too big");
  /** No valid token within the auth deadline, or the token expired without a refresh. */
  static final CloseStatus UNAUTHENTICATED = new CloseStatus(4001, "unauthenticated");

  private final SessionRegistry registry;
  private final RequestDispatcher dispatcher;
  private final GatewayProperties properties;
  private final AuthProperties auth;
  private final GatewayMetrics metrics;

  GatewayWebSocketHandler(SessionRegistry registry, RequestDispatcher dispatcher, GatewayProperties properties,
      AuthProperties auth, GatewayMetrics metrics) {
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.properties = properties;
    this.auth = auth;
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> handle(WebSocketSession ws) {
    String clientId = Handshakes.clientId(ws.getHandshakeInfo().getUri())
        .orElseGet(() -> "client-" + UUID.randomUUID().toString().substring(0, 8));
    InetSocketAddress remote = ws.getHandshakeInfo().getRemoteAddress();
    Session session = registry.open(clientId, remote == null ? "unknown" : remote.toString());
    if (!auth.enabled()) {
      session.authenticate(Principal.ANONYMOUS);
    } else if (ws.getAttributes().get(GatewayWebSocketService.PRINCIPAL) instanceof Principal principal) {
      session.authenticate(principal);
    }
    session.send(Envelope.notice("connection.established", new ConnectionEstablished(session.connectionId(),
        clientId, System.currentTimeMillis(), properties.heartbeatInterval().toMillis(),
        properties.idleTimeout().toMillis(), ConnectionEstablished.PROTOCOL)));

    ((GatewayWebSocketSession) ws).onOversize(() -> session.requestClose(TOO_BIG));

    Flux<WebSocketMessage> frames = Flux.merge(
        // Wrapping the frame's shared bytes (no copy): textMessage(String) would encode it again per recipient.
        session.outbound().map(frame ->
            new WebSocketMessage(WebSocketMessage.Type.TEXT, ws.bufferFactory().wrap(frame.utf8()))),
        Flux.interval(properties.heartbeatInterval())
            .map(tick -> ws.pingMessage(factory -> factory.wrap(new byte[0])))
            .takeUntilOther(Mono.firstWithSignal(session.closeRequestedSignal().then(), session.lastFrameTaken())));
    Mono<Void> output = ws.send(frames)
        .onErrorResume(error -> Mono.empty())
        // After a last frame (sendThenClose) is written, not before: its close frame must not overtake it.
        .then(Mono.fromRunnable(session::closeAfterLastFrame));

    // Never cancel receive() ourselves: Reactor Netty answers a cancelled inbound with its own close frame,
    // which would replace the close code we are about to send. Inbound ends when the channel closes.
    Mono<Void> input = ws.receive()
        .doOnNext(message -> session.touch())
        .doOnComplete(session::peerGone)
        .flatMap(message -> dispatcher.dispatch(session, message), properties.maxInFlightRequests() + 16)
        .onErrorResume(error -> {
          session.requestClose(closeStatusFor(error, session));
          return Mono.empty();
        })
        .then();

    Duration idleTimeout = properties.idleTimeout();
    Duration idleCheck = clamp(idleTimeout.dividedBy(10), Duration.ofMillis(20), Duration.ofSeconds(1));
    Mono<Void> idleWatch = Flux.interval(idleCheck)
        .filter(tick -> session.idleFor().compareTo(idleTimeout) >= 0)
        .next()
        .doOnNext(tick -> {
          log.debug("Closing idle connection {}", session.connectionId());
          session.requestClose(IDLE);
        })
        .takeUntilOther(session.closeRequestedSignal())
        .then();

    Mono<Void> closing = session.closeRequestedSignal()
        .flatMap(status -> ws.close(status)
            .timeout(properties.outbound().closeGrace())
            .onErrorResume(error -> {
              // The close frame is stuck behind unread data (or the channel is broken): cut the connection.
              ((GatewayWebSocketSession) ws).terminate();
              return Mono.empty();
            }));

    return Mono.when(input, output, idleWatch, authWatch(session), closing)
        .doFinally(signal -> registry.close(session));
  }

  /**
   * Mode {@code jwt}: closes with 4001 when no token was accepted within the auth deadline, or when the
   * current token expires without a refresh (after an {@code error UNAUTHENTICATED}). Each new principal
   * restarts the timer (switchMap disposes the previous delay); the watch ends with the connection.
   */
  private Mono<Void> authWatch(Session session) {
    if (!auth.enabled()) {
      return Mono.empty();
    }
    Flux<Optional<Principal>> states = session.principalChanges().map(Optional::of);
    if (session.principal() == null) {
      states = states.startWith(Optional.empty());
    }
    return states
        .switchMap(state -> state.isEmpty()
            ? Mono.delay(auth.authDeadline()).thenReturn("No valid token within "
                + auth.authDeadline().toMillis() + " ms; send auth {token}")
            : expiry(state.get()))
        .next()
        .flatMap(reason -> {
          log.debug("Closing unauthenticated connection {}", session.connectionId());
          metrics.error(ErrorCode.UNAUTHENTICATED);
          session.sendThenClose(Envelope.reply("error",
              ErrorPayload.of(ErrorCode.UNAUTHENTICATED, reason, null), null), UNAUTHENTICATED);
          // A client that does not read would never let the error frame through: close anyway.
          return Mono.delay(properties.outbound().closeGrace())
              .doOnNext(tick -> session.requestClose(UNAUTHENTICATED));
        })
        .takeUntilOther(session.closeRequestedSignal())
        .then();
  }

  private static Mono<String> expiry(Principal principal) {
    if (principal.expiresAt() == null) {
      return Mono.never();
    }
    Duration left = Duration.between(Instant.now(), principal.expiresAt());
    return Mono.delay(left.isNegative() ? Duration.ZERO : left).thenReturn("Token expired");
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }

  private static CloseStatus closeStatusFor(Throwable error, Session session) {
    if (error instanceof TooLongFrameException || error instanceof CorruptedFrameException) {
      return TOO_BIG;
    }
    log.warn("Inbound failure on connection {}: {}", session.connectionId(), error.toString());
    return CloseStatus.SERVER_ERROR;
  }

}
