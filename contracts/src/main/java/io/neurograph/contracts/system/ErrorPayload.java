package io.neurograph.contracts.system;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import java.util.List;

/**
 * {@code error}: a request was refused or failed. Never carries stack traces, SQL or class names.
 *
 * @param originalMessageId id of the offending request, when it had one
 * @param details per-field problems, for {@code VALIDATION_FAILED}
 * @param retryAfterMs for {@code RATE_LIMITED}: when a retry can succeed
 */
public record ErrorPayload(
    ErrorCode code, String message, String originalMessageId, List<FieldProblem> details, Long retryAfterMs) {

  /** An error without details. */
  public static ErrorPayload of(ErrorCode code, String message, String originalMessageId) {
    return new ErrorPayload(code, message, originalMessageId, null, null);
  }
}
