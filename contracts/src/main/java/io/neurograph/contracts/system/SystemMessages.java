package io.neurograph.contracts.system;

import static io.neurograph.contracts.messages.ServerMessageType.Kind.NOTICE;
import static io.neurograph.contracts.messages.ServerMessageType.Kind.REPLY;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.validation.Field;
import io.neurograph.contracts.validation.PayloadSpec;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** System message types: heartbeat, subscriptions, auth, errors, operator messages. */
public final class SystemMessages {

  /** Longest client topic name accepted. */
  public static final int MAX_TOPIC_LENGTH = 200;

  /** {@code ping}. */
  public static final RequestType<Ping> PING =
      new RequestType<>("ping", Ping.class, PayloadSpec.of(), Route.GATEWAY, false, List.of("pong"),
          "Application-level heartbeat.");

  /** {@code subscribe}. */
  public static final RequestType<Subscribe> SUBSCRIBE =
      new RequestType<>("subscribe", Subscribe.class,
          PayloadSpec.of(
              Field.string("topic").required().range(1, MAX_TOPIC_LENGTH),
              Field.string("since").range(1, MAX_TOPIC_LENGTH)),
          Route.GATEWAY, false, List.of("subscribed"), "Start receiving a topic's events.");

  /** {@code unsubscribe}. */
  public static final RequestType<Unsubscribe> UNSUBSCRIBE =
      new RequestType<>("unsubscribe", Unsubscribe.class,
          PayloadSpec.of(Field.string("topic").required().range(1, MAX_TOPIC_LENGTH)),
          Route.GATEWAY, false, List.of("unsubscribed"), "Stop receiving a topic's events.");

  /** {@code auth}. */
  public static final RequestType<Auth> AUTH =
      new RequestType<>("auth", Auth.class,
          PayloadSpec.of(Field.string("token").required().range(1, 16_384)),
          Route.GATEWAY, false, List.of("authenticated"), "Present or refresh credentials in-band.");

  /** Requests clients may send. */
  public static final List<RequestType<?>> REQUESTS = List.of(PING, SUBSCRIBE, UNSUBSCRIBE, AUTH);

  /** Server messages. */
  public static final List<ServerMessageType<?>> SERVER =
      List.of(
          new ServerMessageType<>("connection.established", ConnectionEstablished.class, Set.of(NOTICE),
              "First message of every connection."),
          new ServerMessageType<>("pong", Pong.class, Set.of(REPLY), "Answer to ping."),
          new ServerMessageType<>("subscribed", Subscribed.class, Set.of(REPLY), "Answer to subscribe."),
          new ServerMessageType<>("unsubscribed", Unsubscribed.class, Set.of(REPLY), "Answer to unsubscribe."),
          new ServerMessageType<>("authenticated", Authenticated.class, Set.of(REPLY), "Answer to auth."),
          new ServerMessageType<>("error", ErrorPayload.class, Set.of(REPLY, NOTICE),
              "A request was refused or failed."),
          new ServerMessageType<>("system.broadcast", ObjectNode.class, Set.of(NOTICE),
              "Operator message to every connection."),
          new ServerMessageType<>("system.message", ObjectNode.class,
              Set.of(io.neurograph.contracts.messages.ServerMessageType.Kind.EVENT),
              "Operator message to the subscribers of one topic."));

  private SystemMessages() {}
}
