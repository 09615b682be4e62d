package io.neurograph.gateway.system;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.Pong;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.gateway.dispatch.Replies;
import io.neurograph.gateway.dispatch.Request;
import io.neurograph.gateway.dispatch.RequestHandler;
import io.neurograph.gateway.session.Session;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code ping} → {@code pong {message_id}}. */
@Component
class PingHandler implements RequestHandler {

  @Override
  public Set<RequestType<?>> types() {
    return Set.of(SystemMessages.PING);
  }

  @Override
  public Mono<Void> handle(Session session, Request request) {
    Replies.reply(session, request, "pong", new Pong(request.id()));
    return Mono.empty();
  }
}
