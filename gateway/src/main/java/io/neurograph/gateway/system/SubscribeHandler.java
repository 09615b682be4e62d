package io.neurograph.gateway.system;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.Subscribe;
import io.neurograph.contracts.system.Subscribed;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.gateway.auth.Scopes;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.events.Cursor;
import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.events.Resumer;
import io.neurograph.gateway.session.ResumeGate;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code subscribe {topic, since?}} → {@code subscribed}, or UNKNOWN_TOPIC / FORBIDDEN / LIMIT_EXCEEDED. With
 * {@code since}, the events after that cursor are replayed first (then live, with no gap or repeat at the
 * seam); a cursor this gateway cannot honour gives {@code resumed: false} and a live subscription.
 */
@Component
class SubscribeHandler implements RequestHandler {

  private final SessionRegistry registry;
  private final EventStream events;
  private final Resumer resumer;
  private final int maxSubscriptions;

  SubscribeHandler(SessionRegistry registry, EventStream events, Resumer resumer, GatewayProperties properties) {
    this.registry = registry;
    this.events = events;
    this.resumer = resumer;
    this.maxSubscriptions = properties.maxSubscriptions();
  }

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.SUBSCRIBE);
  }

  @Override
  public Mono<Void> handle(Session session, Request request) {
    Subscribe subscribe = request.value(SystemMessages.SUBSCRIBE);
    Optional<String> canonical = KnownTopics.canonicalOrRefuse(session, request, subscribe.topic());
    if (canonical.isEmpty()) {
      return Mono.empty();
    }
    String topic = canonical.get();
    Optional<String> scope = Scopes.requiredForTopic(topic);
    if (scope.isPresent() && !session.principal().has(scope.get())) {
      Replies.error(session, request, ErrorCode.FORBIDDEN, "Subscribing to " + topic + " needs scope " + scope.get());
      return Mono.empty();
    }
    Optional<Cursor> since = subscribe.since() == null ? Optional.empty() : Cursor.decode(subscribe.since());
    if (since.isEmpty()) {
      // No cursor, or one this gateway did not write: live from now.
      Boolean resumed = subscribe.since() == null ? null : Boolean.FALSE;
      subscribeLive(session, request, topic, resumed);
      return Mono.empty();
    }
    ResumeGate gate = session.newResumeGate(topic);
    switch (registry.reserve(session, topic, gate)) {
      case LIMIT_REACHED -> {
        limitReached(session, request);
        return Mono.empty();
      }
      case ALREADY_SUBSCRIBED -> {
        // Already live on this topic: replaying now would repeat what it was sent.
        Replies.reply(session, request, "subscribed", new Subscribed(topic, true, events.currentCursor(), false));
        return Mono.empty();
      }
      default -> {
        return resumer.resume(session, topic, since.get(), gate, start -> Replies.reply(session, request,
                "subscribed", new Subscribed(topic, true, start.cursor(), start.resumed())))
            .onErrorResume(Resumer.ResumeFailed.class, failure -> {
              registry.unsubscribe(session, topic);
              Replies.error(session, request, ErrorCode.UNAVAILABLE, failure.getMessage());
              return Mono.empty();
            });
      }
    }
  }

  /** Subscribes at an exact seam and replies there, so {@code subscribed} comes before the first event. */
  private void subscribeLive(Session session, Request request, String topic, Boolean resumed) {
    events.atSeam(live -> {
      switch (registry.subscribe(session, topic)) {
        case LIMIT_REACHED -> limitReached(session, request);
        case SUBSCRIBED, ALREADY_SUBSCRIBED ->
            Replies.reply(session, request, "subscribed", new Subscribed(topic, true, live.encode(), resumed));
      }
      return null;
    });
  }

  private void limitReached(Session session, Request request) {
    Replies.error(session, request, ErrorCode.LIMIT_EXCEEDED, "At most " + maxSubscriptions + " subscriptions per connection");
  }
}
