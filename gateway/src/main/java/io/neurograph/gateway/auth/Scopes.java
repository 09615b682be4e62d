package io.neurograph.gateway.auth;

import io.neurograph.contracts.messages.RequestType;
import java.util.Optional;

/** The scope each request type and each topic needs. */
public final class Scopes {

  /** Scope of the operator HTTP API. */
  public static final String ADMIN = "admin";

  private Scopes() {}

  /**
   * {@code <route>:<read|write>} for requests a service answers; nothing for the gateway's own
   * ({@code ping}, {@code auth}, {@code unsubscribe}; {@code subscribe} is checked per topic).
   */
  public static Optional<String> requiredFor(RequestType<?> type) {
    String access = type.changesState() ? "write" : "read";
    return switch (type.route()) {
      case TOKENS -> Optional.of("tokens:" + access);
      case GRAPH -> Optional.of("graph:" + access);
      case GATEWAY -> Optional.empty();
    };
  }

  /** The scope a subscription to a canonical topic needs; nothing for {@code system}. */
  public static Optional<String> requiredForTopic(String canonicalTopic) {
    if (canonicalTopic.equals("tokens") || canonicalTopic.startsWith("token:")) {
      return Optional.of("tokens:read");
    }
    if (canonicalTopic.equals("graph")) {
      return Optional.of("graph:read");
    }
    return Optional.empty();
  }
}
