package io.neurograph.gateway.auth;

import io.neurograph.gateway.config.GatewayProperties;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Takes {@code access_token} out of every request URI before anything sees it: Spring (at debug level),
 * Reactor Netty and the WebSocket session log the request URI, and a token must never reach a log. On the
 * WebSocket path the token moves to {@code Authorization: Bearer} (unless the client sent a bearer header,
 * which wins); elsewhere (the admin API takes the header only) it is dropped.
 */
@Component
class AccessTokenParameter implements HttpHandlerDecoratorFactory {

  private final String webSocketPath;

  AccessTokenParameter(GatewayProperties gateway) {
    this.webSocketPath = gateway.path();
  }

  @Override
  public HttpHandler apply(HttpHandler handler) {
    return (request, response) -> handler.handle(withoutToken(request), response);
  }

  private ServerHttpRequest withoutToken(ServerHttpRequest request) {
    String rawQuery = request.getURI().getRawQuery();
    if (rawQuery == null || !rawQuery.contains(BearerTokens.QUERY_PARAMETER)) {
      return request;
    }
    String token = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams()
        .getFirst(BearerTokens.QUERY_PARAMETER);
    URI redacted = UriComponentsBuilder.fromUri(request.getURI())
        .replaceQueryParam(BearerTokens.QUERY_PARAMETER)
        .build(true)
        .toUri();
    boolean promote = token != null && !token.isBlank()
        && request.getPath().pathWithinApplication().value().equals(webSocketPath)
        && !BearerTokens.hasBearerHeader(request);
    return request.mutate()
        .uri(redacted)
        .headers(headers -> {
          if (promote) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + URLDecoder.decode(token, StandardCharsets.UTF_8));
          }
        })
        .build();
  }
}
