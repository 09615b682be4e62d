package io.neurograph.gateway.system;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.session.Session;
import java.util.Optional;

/** The topic check shared by subscribe and unsubscribe. */
final class KnownTopics {

  private KnownTopics() {}

  /** The canonical topic, or empty after telling the client {@code UNKNOWN_TOPIC}. */
  static Optional<String> canonicalOrRefuse(Session session, Request request, String topic) {
    Optional<String> canonical = ClientTopics.canonical(topic);
    if (canonical.isEmpty()) {
      Replies.error(session, request, ErrorCode.UNKNOWN_TOPIC, "Unknown topic; use tokens, graph, system or token:<token_id>");
    }
    return canonical;
  }
}
