package io.neurograph.gateway.system;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.Subscribe;
import io.neurograph.contracts.system.Subscribed;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.gateway.auth.Scopes;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code subscribe {topic, since?}} → {@code subscribed}, or UNKNOWN_TOPIC / FORBIDDEN / LIMIT_EXCEEDED. */
@Component
class SubscribeHandler implements RequestHandler {

  private final SessionRegistry registry;
  private final EventStream events;
  private final int maxSubscriptions;

  SubscribeHandler(SessionRegistry registry, EventStream events, GatewayProperties properties) {
    this.registry = registry;
    this.events = events;
    this.maxSubscriptions = properties.maxSubscriptions();
  }

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.SUBSCRIBE);
  }

  @Override
  public Mono<Void> handle(Session session, DecodedFrame.Accepted request) {
    Subscribe subscribe = request.value(SystemMessages.SUBSCRIBE);
    Optional<String> topic = KnownTopics.canonicalOrRefuse(session, request, subscribe.topic());
    if (topic.isEmpty()) {
      return Mono.empty();
    }
    Optional<String> scope = Scopes.requiredForTopic(topic.get());
    if (scope.isPresent() && !session.principal().has(scope.get())) {
      Replies.error(session, request, ErrorCode.FORBIDDEN, "Subscribing to " + topic.get() + " needs scope "
          + scope.get());
      return Mono.empty();
    }
    String cursor = events.currentCursor();
    switch (registry.subscribe(session, topic.get())) {
      case LIMIT_REACHED -> Replies.error(session, request, ErrorCode.LIMIT_EXCEEDED,
          "At most " + maxSubscriptions + " subscriptions per connection");
      case SUBSCRIBED, ALREADY_SUBSCRIBED -> {
        // Replay from a cursor is not offered by this version: say so instead of pretending.
        Boolean resumed = subscribe.since() == null ? null : Boolean.FALSE;
        Replies.reply(session, request, "subscribed", new Subscribed(topic.get(), true, cursor, resumed));
      }
    }
    return Mono.empty();
  }
}
