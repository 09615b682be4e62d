package io.neurograph.gateway.events;

import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.ServerMessageType;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which client topics an event goes to, decided the same way for live fan-out and for a replay from a
 * cursor, so a resumed client sees exactly what a connected one saw.
 */
final class EventRouting {

  /** Alias prefix of the token event partitions. */
  static final String TOKEN_EVENTS = "t";
  /** Alias prefix of the graph event partitions. */
  static final String GRAPH_EVENTS = "g";
  /** Alias prefix of the operator message partitions. */
  static final String SYSTEM_EVENTS = "s";

  private EventRouting() {}

  /** The event source of a partition alias ({@code t3} → {@code t}). */
  static String source(String alias) {
    return alias.substring(0, 1);
  }

  /**
   * The client topics an event from {@code source} is delivered on; empty when it goes to no topic
   * (unknown type or shape, or an operator broadcast, which goes to every connection instead).
   */
  static List<String> topics(String source, EventMessage event) {
    switch (source) {
      case TOKEN_EVENTS -> {
        return deliverable(event) && event.subject() != null ? ClientTopics.forTokenEvent(event.subject()) : List.of();
      }
      case GRAPH_EVENTS -> {
        return deliverable(event) ? graphEventTopics(event.data()) : List.of();
      }
      default -> {
        return "system.message".equals(event.type()) && event.subject() != null ? List.of(event.subject()) : List.of();
      }
    }
  }

  /** Whether an operator message goes to every connection rather than to a topic. */
  static boolean isBroadcast(String source, EventMessage event) {
    return SYSTEM_EVENTS.equals(source) && "system.broadcast".equals(event.type());
  }

  /** The sources whose events can be delivered on {@code topic} (operators may publish to any topic). */
  static Set<String> sourcesFor(String topic) {
    if (ClientTopics.TOKENS.equals(topic)) {
      return Set.of(TOKEN_EVENTS, SYSTEM_EVENTS);
    }
    if (ClientTopics.GRAPH.equals(topic)) {
      return Set.of(GRAPH_EVENTS, SYSTEM_EVENTS);
    }
    if (topic.startsWith(ClientTopics.TOKEN_PREFIX)) {
      return Set.of(TOKEN_EVENTS, GRAPH_EVENTS, SYSTEM_EVENTS);
    }
    return Set.of(SYSTEM_EVENTS);
  }

  private static boolean deliverable(EventMessage event) {
    return MessageRegistry.server(event.type())
        .map(type -> type.kinds().contains(ServerMessageType.Kind.EVENT))
        .orElse(false);
  }

  /** A graph event goes to {@code graph} and the topics of both end tokens, named in its data. */
  private static List<String> graphEventTopics(JsonNode data) {
    JsonNode source = data == null ? null : data.get("source_id");
    JsonNode target = data == null ? null : data.get("target_id");
    if (source == null || target == null || !source.isString() || !target.isString()) {
      return List.of();
    }
    return ClientTopics.forGraphEvent(source.stringValue(), target.stringValue());
  }
}
