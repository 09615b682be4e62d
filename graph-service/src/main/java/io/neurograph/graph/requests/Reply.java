package io.neurograph.graph.requests;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.system.ErrorPayload;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The answer to a request: a server message of the contract (type and payload), before it is wrapped
 * into a {@link io.neurograph.contracts.kafka.ReplyMessage}.
 */
public record Reply(String type, JsonNode payload) {

  /** Server message type of errors. */
  public static final String ERROR = "error";

  /** Requires both parts. */
  public Reply {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
  }

  /** A reply with a payload record of the contract. */
  public static Reply of(String type, Object payload) {
    return new Reply(type, Json.tree(payload));
  }

  /** An {@code error} reply to the request with id {@code requestId}. */
  public static Reply error(ErrorCode code, String message, String requestId) {
    return of(ERROR, ErrorPayload.of(code, message, requestId));
  }

  /** A {@code VALIDATION_FAILED} error listing every problem. */
  public static Reply validationFailed(String message, String requestId, List<FieldProblem> problems) {
    return of(ERROR, new ErrorPayload(ErrorCode.VALIDATION_FAILED, message, requestId, problems, null));
  }
}
