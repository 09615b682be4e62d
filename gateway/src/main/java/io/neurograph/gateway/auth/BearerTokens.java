package io.neurograph.gateway.auth;

import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Where a bearer token travels in an HTTP request. */
public final class BearerTokens {

  /** The query parameter browsers use, since they cannot set headers on a WebSocket handshake. */
  public static final String QUERY_PARAMETER = "access_token";

  private BearerTokens() {}

  /**
   * The {@code Authorization: Bearer} header's token. An {@code access_token} query parameter has been moved
   * into that header by {@link AccessTokenParameter} before any handler runs.
   */
  public static Optional<String> from(ServerHttpRequest request) {
    String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return Optional.empty();
  }

  /** Whether the request carries {@code Authorization: Bearer ...}. */
  public static boolean hasBearerHeader(ServerHttpRequest request) {
    String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }
}
