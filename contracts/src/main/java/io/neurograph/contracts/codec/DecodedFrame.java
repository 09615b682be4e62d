package io.neurograph.contracts.codec;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.ErrorPayload;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** The outcome of decoding one client text frame. */
public sealed interface DecodedFrame {

  /**
   * A well-formed, valid request.
   *
   * @param id the request id: the client's, or one assigned by the server when absent
   * @param clientAssignedId whether {@code id} came from the client
   * @param type the request type
   * @param payload the normalized payload (defaults filled in, unknown fields dropped)
   * @param value the payload bound to {@code type.payloadType()}
   * @param traceparent the envelope's {@code traceparent} when it was a string (not checked: an invalid one
   *     only means a new trace), else null
   */
  record Accepted(
      String id, boolean clientAssignedId, RequestType<?> type, ObjectNode payload, Object value, String traceparent)
      implements DecodedFrame {

    /** An accepted request without trace context. */
    public Accepted(String id, boolean clientAssignedId, RequestType<?> type, ObjectNode payload, Object value) {
      this(id, clientAssignedId, type, payload, value, null);
    }

    /** The bound payload, typed. */
    public <P> P value(RequestType<P> expected) {
      if (expected != type) {
        throw new IllegalArgumentException("frame is " + type.name() + ", not " + expected.name());
      }
      return expected.payloadType().cast(value);
    }
  }

  /**
   * A frame the server refuses; the connection stays open.
   *
   * @param originalMessageId the offending request's id, when it had a string one
   * @param traceparent the envelope's {@code traceparent} when the frame was an object with a string one
   */
  record Rejected(
      ErrorCode code, String message, String originalMessageId, List<FieldProblem> details, String traceparent)
      implements DecodedFrame {

    /** A refusal without trace context. */
    public Rejected(ErrorCode code, String message, String originalMessageId, List<FieldProblem> details) {
      this(code, message, originalMessageId, details, null);
    }

    /** The {@code error} payload telling the client. */
    public ErrorPayload toError() {
      return new ErrorPayload(code, message, originalMessageId, details, null);
    }
  }
}
