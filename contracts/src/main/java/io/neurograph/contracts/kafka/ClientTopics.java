package io.neurograph.contracts.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Client-facing topics (what {@code subscribe} names) and which events each one carries. */
public final class ClientTopics {

  /** Every token event. */
  public static final String TOKENS = "tokens";
  /** Every graph event. */
  public static final String GRAPH = "graph";
  /** Operator messages. */
  public static final String SYSTEM = "system";
  /** Prefix of the per-token topic {@code token:<token_id>}. */
  public static final String TOKEN_PREFIX = "token:";

  private ClientTopics() {}

  /**
   * The canonical form of a topic clients may subscribe to (token ids in lower case), or empty when no
   * such topic exists.
   */
  public static Optional<String> canonical(String topic) {
    if (TOKENS.equals(topic) || GRAPH.equals(topic) || SYSTEM.equals(topic)) {
      return Optional.of(topic);
    }
    if (topic.startsWith(TOKEN_PREFIX)) {
      String id = topic.substring(TOKEN_PREFIX.length());
      return isUuid(id) ? Optional.of(TOKEN_PREFIX + id.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
    return Optional.empty();
  }

  /** The per-token topic of a token id. */
  public static String ofToken(String tokenId) {
    return TOKEN_PREFIX + tokenId;
  }

  /** The client topics a token event (keyed by its token id) is delivered on. */
  public static List<String> forTokenEvent(String tokenId) {
    return List.of(TOKENS, ofToken(tokenId));
  }

  /** The client topics a graph event is delivered on: {@code graph} and the topics of both end tokens. */
  public static List<String> forGraphEvent(String sourceId, String targetId) {
    return List.of(GRAPH, ofToken(sourceId), ofToken(targetId));
  }

  private static boolean isUuid(String text) {
    if (text.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
