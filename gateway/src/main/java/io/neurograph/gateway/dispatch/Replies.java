package io.neurograph.gateway.dispatch;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.gateway.session.Session;

/**
 * Direct replies: every one carries {@code correlation_id} = the request's id and the request's
 * {@code traceparent}.
 */
public final class Replies {

  private Replies() {}

  /** Sends {@code type} with {@code payload} as the reply to {@code request}. */
  public static void reply(Session session, Request request, String type, Object payload) {
    request.answer(session, type, payload);
  }

  /**
   * Sends an {@code error} reply to an accepted request: {@code original_message_id} is the client's id
   * (absent when the client sent none), {@code correlation_id} the request id either way.
   */
  public static void error(Session session, Request request, ErrorCode code, String message) {
    request.fail(session, ErrorPayload.of(code, message, clientGivenId(request)));
  }

  /** Sends an {@code error} payload as the answer to {@code request} (accepted or not). */
  public static void error(Session session, Request request, ErrorPayload error) {
    request.fail(session, error);
  }

  /**
   * The request id to echo: a server-assigned id means the client sent none, so there is nothing to
   * correlate with.
   */
  public static String clientGivenId(Request request) {
    return request.frame() != null && request.clientAssignedId() ? request.id() : null;
  }
}
