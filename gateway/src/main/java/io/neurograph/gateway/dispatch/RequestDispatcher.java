package io.neurograph.gateway.dispatch;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.contracts.validation.Field;
import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.auth.Scopes;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.limits.ClientRateLimiter;
import io.neurograph.gateway.observability.GatewayMetrics;
import io.neurograph.gateway.observability.RequestTracing;
import io.neurograph.gateway.session.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Turns each inbound frame into exactly one outcome: a handler's answer or an error. Validation happens
 * here, before any handler (and so before anything reaches Kafka).
 */
@Component
public class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final Map<RequestType<?>, RequestHandler> handlers = new HashMap<>();
  private final ClientRateLimiter clientLimit;
  private final long maxMetadataBytes;
  private final RequestTracing tracing;
  private final GatewayMetrics metrics;

  /** Indexes the handlers; every request type of the protocol must have exactly one. */
  public RequestDispatcher(List<RequestHandler> handlerBeans, ClientRateLimiter clientLimit,
      GatewayProperties properties, RequestTracing tracing, GatewayMetrics metrics) {
    this.clientLimit = clientLimit;
    this.tracing = tracing;
    this.metrics = metrics;
    this.maxMetadataBytes = properties.maxMetadataSize().toBytes();
    for (RequestHandler handler : handlerBeans) {
      for (RequestType<?> type : handler.types()) {
        if (handlers.put(type, handler) != null) {
          throw new IllegalStateException("two handlers for " + type.name());
        }
      }
    }
    for (RequestType<?> type : MessageRegistry.requests()) {
      if (!handlers.containsKey(type)) {
        throw new IllegalStateException("no handler for " + type.name());
      }
    }
  }

  /** Handles one inbound WebSocket message. */
  public Mono<Void> dispatch(Session session, WebSocketMessage message) {
    switch (message.getType()) {
      case TEXT -> {
        session.countInbound();
        return handleText(session, message.getPayloadAsText());
      }
      case BINARY -> {
        session.countInbound();
        metrics.received(GatewayMetrics.UNKNOWN);
        Request refused = Request.refused(null, null, tracing, metrics);
        if (!admitted(session, refused, null)) {
          return Mono.empty();
        }
        Replies.error(session, refused,
            ErrorPayload.of(ErrorCode.UNSUPPORTED_FRAME, "Binary frames are not supported; send JSON text frames", null));
        return Mono.empty();
      }
      default -> {
        // Pongs only prove liveness (the idle timer already saw them); pings are answered by Netty.
        return Mono.empty();
      }
    }
  }

  Mono<Void> handleText(Session session, String text) {
    DecodedFrame frame;
    try {
      frame = ClientFrameDecoder.decode(text);
    } catch (RuntimeException bug) {
      // Policy: a frame the decoder cannot cope with is our bug; it costs that frame, never the connection
      // (an exception here would end the inbound pipeline and close with 1011). Logged with its stack trace
      // so it gets fixed; the client learns only that the frame was not read.
      log.error("Could not decode a frame of {} characters on connection {}", text.length(), session.connectionId(),
          bug);
      metrics.received(GatewayMetrics.UNKNOWN);
      Request refused = Request.refused(null, null, tracing, metrics);
      if (admitted(session, refused, null)) {
        Replies.error(session, refused, ErrorPayload.of(ErrorCode.INTERNAL, "This frame could not be read", null));
      }
      return Mono.empty();
    }
    if (frame instanceof DecodedFrame.Rejected rejected) {
      metrics.received(GatewayMetrics.UNKNOWN);
      Request refused = Request.refused(rejected.originalMessageId(), rejected.traceparent(), tracing, metrics);
      if (admitted(session, refused, rejected.originalMessageId())) {
        Replies.error(session, refused, rejected.toError());
      }
      return Mono.empty();
    }
    DecodedFrame.Accepted accepted = (DecodedFrame.Accepted) frame;
    metrics.received(accepted.type().name());
    Request request = Request.accepted(accepted, tracing, metrics);
    String echoId = Replies.clientGivenId(request);
    if (!admitted(session, request, echoId) || !allowed(session, request) || !metadataFits(session, request, echoId)) {
      return Mono.empty();
    }
    Mono<Void> handled = Mono.defer(() -> handlers.get(request.type()).handle(session, request))
        .onErrorResume(error -> {
          // A handler bug must cost one request, never the connection; details stay in the log.
          log.error("Handler for {} failed on connection {}", request.type().name(), session.connectionId(), error);
          Replies.error(session, request, ErrorPayload.of(ErrorCode.INTERNAL, "Internal error", echoId));
          return Mono.empty();
        })
        .doFinally(signal -> request.finishUnanswered());
    if (request.type() == SystemMessages.PING) {
      // Ping costs nothing downstream and is how clients measure liveness: only the per-connection limit.
      return handled;
    }
    // The shared budget is asynchronous (one Redis round trip). The returned Mono is part of the inbound
    // flatMap, which bounds how many frames of one connection are in this stage at once.
    return clientLimit.acquire(clientLimitKey(session)).flatMap(waitMs -> {
      if (waitMs == 0) {
        return handled;
      }
      Replies.error(session, request,
          new ErrorPayload(ErrorCode.RATE_LIMITED, "Too many requests for this client; slow down", echoId, null,
              waitMs));
      return Mono.empty();
    });
  }

  /**
   * Whom a request is charged to across instances: the authenticated subject when there is one, else the
   * client id (mode {@code none}, or before authentication). Prefixed so the two can never collide.
   */
  static String clientLimitKey(Session session) {
    Principal principal = session.principal();
    if (principal != null && !principal.unrestricted()) {
      return "sub:" + principal.subject();
    }
    return "client:" + session.clientId();
  }

  /**
   * Authentication and scopes: before a token was accepted only {@code ping} and {@code auth} are answered
   * ({@code UNAUTHENTICATED}); a request whose scope the principal lacks is {@code FORBIDDEN}. Either way
   * the connection stays. Subscriptions are checked per topic by their handler.
   */
  private static boolean allowed(Session session, Request request) {
    RequestType<?> type = request.type();
    if (type == SystemMessages.PING || type == SystemMessages.AUTH) {
      return true;
    }
    Principal principal = session.principal();
    if (principal == null) {
      Replies.error(session, request, ErrorCode.UNAUTHENTICATED, "Authenticate first: send auth {token}");
      return false;
    }
    Optional<String> scope = Scopes.requiredFor(type);
    if (scope.isPresent() && !principal.has(scope.get())) {
      Replies.error(session, request, ErrorCode.FORBIDDEN, type.name() + " needs scope " + scope.get());
      return false;
    }
    return true;
  }

  /**
   * The configured {@code metadata} limit, which may be lower than the protocol's 16 KiB (checked by the
   * decoder): {@code VALIDATION_FAILED} in the same shape as every other field problem.
   */
  private boolean metadataFits(Session session, Request request, String echoId) {
    JsonNode metadata = request.payload().get("metadata");
    if (metadata == null || !metadata.isObject() || Field.encodedSize(metadata) <= maxMetadataBytes) {
      return true;
    }
    Replies.error(session, request,
        new ErrorPayload(ErrorCode.VALIDATION_FAILED, "Invalid " + request.type().name() + " payload", echoId,
            List.of(new FieldProblem("metadata", "must be at most " + maxMetadataBytes + " bytes as JSON")), null));
    return false;
  }

  private static boolean admitted(Session session, Request request, String originalId) {
    long waitMs = session.rateLimit();
    if (waitMs == 0) {
      return true;
    }
    Replies.error(session, request,
        new ErrorPayload(ErrorCode.RATE_LIMITED, "Too many messages; slow down", originalId, null, waitMs));
    return false;
  }
}
