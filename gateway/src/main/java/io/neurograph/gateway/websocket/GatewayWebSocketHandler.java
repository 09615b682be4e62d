package io.neurograph.gateway.websocket;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.system.ConnectionEstablished;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.RequestDispatcher;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.time.Duration;
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

  private final SessionRegistry registry;
  private final RequestDispatcher dispatcher;
  private final GatewayProperties properties;

  GatewayWebSocketHandler(SessionRegistry registry, RequestDispatcher dispatcher, GatewayProperties properties) {
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.properties = properties;
  }

  @Override
  public Mono<Void> handle(WebSocketSession ws) {
    String clientId = Handshakes.clientId(ws.getHandshakeInfo().getUri())
        .orElseGet(() -> "client-" + UUID.randomUUID().toString().substring(0, 8));
    InetSocketAddress remote = ws.getHandshakeInfo().getRemoteAddress();
    Session session = registry.open(clientId, remote == null ? "unknown" : remote.toString());
    session.send(Envelope.notice("connection.established", new ConnectionEstablished(session.connectionId(),
        clientId, System.currentTimeMillis(), properties.heartbeatInterval().toMillis(),
        properties.idleTimeout().toMillis(), ConnectionEstablished.PROTOCOL)));

    ((GatewayWebSocketSession) ws).onOversize(() -> session.requestClose(TOO_BIG));

    Flux<WebSocketMessage> frames = Flux.merge(
        session.outbound().map(frame -> ws.textMessage(frame.json())),
        Flux.interval(properties.heartbeatInterval())
            .map(tick -> ws.pingMessage(factory -> factory.wrap(new byte[0])))
            .takeUntilOther(session.closeRequestedSignal()));
    Mono<Void> output = ws.send(frames).onErrorResume(error -> Mono.empty());

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

    return Mono.when(input, output, idleWatch, closing)
        .doFinally(signal -> registry.close(session));
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
