package io.neurograph.graph.requests;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.validation.PayloadSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Routes a command record to the handler of its request type, after checking the payload again against
 * the contract (Kafka input is never trusted, even from our own gateway).
 */
@Component
public class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final Map<String, RequestHandler<?>> handlers = new HashMap<>();

  RequestDispatcher(List<RequestHandler<?>> handlers) {
    for (RequestHandler<?> handler : handlers) {
      if (this.handlers.put(handler.type().name(), handler) != null) {
        throw new IllegalStateException("two handlers for " + handler.type().name());
      }
    }
    List<String> missing = MessageRegistry.requests().stream()
        .filter(type -> type.route() == Route.GRAPH && !this.handlers.containsKey(type.name()))
        .map(RequestType::name)
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("no handler for graph request types " + missing);
    }
  }

  /** Whether a handler exists for this request type. */
  public boolean handles(String type) {
    return handlers.containsKey(type);
  }

  /** The reply to a request; an error signal means "retry later", never a client mistake. */
  public Mono<Reply> dispatch(Request request) {
    CommandMessage command = request.command();
    RequestHandler<?> handler = handlers.get(command.type());
    if (handler == null) {
      log.debug("Unknown request type {} in command {}", command.type(), command.commandId());
      return Mono.just(Reply.error(ErrorCode.UNKNOWN_TYPE, "Unknown message type: " + command.type(),
          command.requestId()));
    }
    return run(handler, request);
  }

  private <P> Mono<Reply> run(RequestHandler<P> handler, Request request) {
    CommandMessage command = request.command();
    RequestType<P> type = handler.type();
    JsonNode payload = command.payload();
    if (payload == null || !payload.isObject()) {
      return Mono.just(invalid(type, command, List.of(new FieldProblem("payload", "must be a JSON object"))));
    }
    PayloadSpec.Result result = type.spec().validate(payload);
    if (!result.valid()) {
      return Mono.just(invalid(type, command, result.problems()));
    }
    P bound;
    try {
      bound = Json.convert(result.payload(), type.payloadType());
    } catch (RuntimeException e) {
      // The spec accepted it but the record refused it: still the sender's data, never a server fault.
      return Mono.just(invalid(type, command, List.of(new FieldProblem("payload", "does not match " + type.name()))));
    }
    return handler.handle(bound, request);
  }

  private static Reply invalid(RequestType<?> type, CommandMessage command, List<FieldProblem> problems) {
    return Reply.validationFailed("Invalid " + type.name() + " payload", command.requestId(), problems);
  }
}
