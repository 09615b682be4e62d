package io.neurograph.gateway.dispatch;

import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.gateway.session.Session;

/** Direct replies: every one carries {@code correlation_id} = the request's id. */
public final class Replies {

  private Replies() {}

  /** Sends {@code type} with {@code payload} as the reply to {@code request}. */
  public static void reply(Session session, DecodedFrame.Accepted request, String type, Object payload) {
    session.send(Envelope.reply(type, payload, request.id()));
  }

  /**
   * Sends an {@code error} reply to an accepted request: {@code original_message_id} is the client's id
   * (absent when the client sent none), {@code correlation_id} the request id either way.
   */
  public static void error(Session session, DecodedFrame.Accepted request, ErrorCode code, String message) {
    session.send(Envelope.reply("error", ErrorPayload.of(code, message, clientGivenId(request)), request.id()));
  }

  /** Sends an {@code error} reply to a frame that was not accepted. */
  public static void error(Session session, ErrorCode code, String message, String requestId) {
    session.send(Envelope.reply("error", ErrorPayload.of(code, message, requestId), requestId));
  }

  /** Sends an {@code error} payload with the given correlation id. */
  public static void error(Session session, ErrorPayload error, String correlationId) {
    session.send(Envelope.reply("error", error, correlationId));
  }

  /**
   * The request id to echo: a server-assigned id means the client sent none, so there is nothing to
   * correlate with.
   */
  public static String clientGivenId(DecodedFrame.Accepted request) {
    return request.clientAssignedId() ? request.id() : null;
  }
}
