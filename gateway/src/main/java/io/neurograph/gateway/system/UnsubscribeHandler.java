package io.neurograph.gateway.system;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.contracts.system.Unsubscribe;
import io.neurograph.contracts.system.Unsubscribed;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code unsubscribe {topic}} → {@code unsubscribed {topic, success: true}}, also when the connection was
 * not subscribed (the end state is what the client asked for); an unknown topic is UNKNOWN_TOPIC.
 */
@Component
class UnsubscribeHandler implements RequestHandler {

  private final SessionRegistry registry;

  UnsubscribeHandler(SessionRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.UNSUBSCRIBE);
  }

  @Override
  public Mono<Void> handle(Session session, Request request) {
    Unsubscribe unsubscribe = request.value(SystemMessages.UNSUBSCRIBE);
    Optional<String> topic = KnownTopics.canonicalOrRefuse(session, request, unsubscribe.topic());
    if (topic.isEmpty()) {
      return Mono.empty();
    }
    registry.unsubscribe(session, topic.get());
    Replies.reply(session, request, "unsubscribed", new Unsubscribed(topic.get(), true));
    return Mono.empty();
  }
}
