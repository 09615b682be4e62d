package io.neurograph.gateway.requests;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.session.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request a service answers: wraps it as a command on the owning service's topic (keyed by the
 * entity id, so one entity's commands stay in order), then relays the service's reply, or TIMEOUT /
 * UNAVAILABLE. The request id becomes the idempotency key within the client id.
 */
@Component
class ServiceRequestHandler implements RequestHandler {

  private static final Logger log = LoggerFactory.getLogger(ServiceRequestHandler.class);

  private static final List<String> KEY_FIELDS = List.of("token_id", "source_id", "connection_id");

  private final KafkaPublisher publisher;
  private final PendingReplies pending;
  private final Topics topics;
  private final String instanceId;
  private final Duration timeout;
  private final int maxInFlight;

  ServiceRequestHandler(KafkaPublisher publisher, PendingReplies pending, Topics topics,
      GatewayProperties properties) {
    this.publisher = publisher;
    this.pending = pending;
    this.topics = topics;
    this.instanceId = properties.instanceId();
    this.timeout = properties.requestTimeout();
    this.maxInFlight = properties.maxInFlightRequests();
  }

  @Override
  public Set<RequestType<?>> types() {
    return MessageRegistry.requests().stream()
        .filter(type -> type.route() != Route.GATEWAY)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public Mono<Void> handle(Session session, Request request) {
    if (!session.tryStartRequest(maxInFlight)) {
      Replies.error(session, request, ErrorCode.LIMIT_EXCEEDED,
          "At most " + maxInFlight + " requests may await a reply per connection");
      return Mono.empty();
    }
    String commandId = CommandMessage.commandId(session.clientId(), request.id());
    ObjectNode payload = request.payload().deepCopy();
    if (request.type() == TokenMessages.CREATE && !payload.has("token_id")) {
      payload.put("token_id", TokenId.derivedFrom(commandId).toString());
    }
    PendingReplies.Slot slot = pending.open();
    CommandMessage command = new CommandMessage(commandId, request.type().name(), request.id(),
        session.clientId(), session.principal().commandPrincipal(), instanceId, slot.key(), Instant.now(), payload);
    ProducerRecord<String, String> record = new ProducerRecord<>(topicFor(request.type()), null,
        entityKey(payload), Json.write(command), headers(command, request.traceparent()));
    AtomicBoolean answered = new AtomicBoolean();
    return publisher.publish(record)
        .then(slot.reply())
        // A closed connection stops waiting; the service still applies the command and publishes events.
        .takeUntilOther(session.closeRequestedSignal())
        .timeout(timeout)
        .doOnNext(reply -> {
          answered.set(true);
          Replies.reply(session, request, reply.type(), reply.payload());
        })
        .onErrorResume(error -> {
          answered.set(true);
          refuse(session, request, error);
          return Mono.empty();
        })
        .doFinally(signal -> {
          pending.forget(slot.key());
          session.endRequest();
          if (!answered.get() && !session.isClosing()) {
            // Every request gets exactly one answer while its connection is open; should any path end
            // without one, the client must still learn that it may re-send (safe: same id, same outcome).
            log.warn("{} {} on connection {} ended without an answer ({}); answering UNAVAILABLE",
                request.type().name(), request.id(), session.connectionId(), signal);
            Replies.error(session, request, ErrorCode.UNAVAILABLE, "The request was interrupted; send it again");
          }
        })
        .then();
  }

  private void refuse(Session session, Request request, Throwable error) {
    if (error instanceof TimeoutException) {
      Replies.error(session, request, ErrorCode.TIMEOUT,
          "No answer within " + timeout.toSeconds() + " s; an accepted command still takes effect, once");
    } else {
      // Policy: any failure to hand the command to Kafka means it was not accepted; the client may retry
      // with the same id safely.
      log.warn("Could not publish {} for connection {}: {}", request.type().name(), session.connectionId(),
          error.toString());
      Replies.error(session, request, ErrorCode.UNAVAILABLE, "Service bus unavailable; the request was not accepted");
    }
  }

  private String topicFor(RequestType<?> type) {
    return switch (type.route()) {
      case TOKENS -> topics.tokenCommands();
      case GRAPH -> topics.graphCommands();
      case GATEWAY -> throw new IllegalArgumentException(type.name() + " is answered by the gateway");
    };
  }

  /**
   * Keyed by the entity a request is about, so one entity's commands stay in order: the token id, the
   * token a graph request starts from, or the edge; requests about no single entity get no key.
   */
  private static String entityKey(ObjectNode payload) {
    for (String field : KEY_FIELDS) {
      JsonNode id = payload.get(field);
      if (id != null) {
        return id.stringValue();
      }
    }
    return null;
  }

  private static RecordHeaders headers(CommandMessage command, String traceparent) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaHeaderNames.MESSAGE_TYPE, command.type().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.REQUEST_ID, command.requestId().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CLIENT_ID, command.clientId().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.REPLY_TO, command.replyTo().getBytes(StandardCharsets.UTF_8));
    if (traceparent != null) {
      // The request's span: same trace id as the client's traceparent (or a new trace), so services continue it.
      headers.add(KafkaHeaderNames.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }
}
