package io.neurograph.gateway.auth;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.gateway.config.GatewayProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * In mode {@code jwt}, the operator API ({@code /ws/stats}, {@code /ws/connections}, {@code /ws/broadcast},
 * {@code /ws/publish/*}) needs an {@code Authorization: Bearer} JWT with scope {@code admin}: 401 without a
 * valid one, 403 without the scope. Header only: a token in a URL ends up in proxies' logs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AdminAuthFilter implements WebFilter {

  private static final String ADMIN_PREFIX = "/ws/";

  private final AuthProperties properties;
  private final TokenVerifier verifier;
  private final String webSocketPath;

  AdminAuthFilter(AuthProperties properties, TokenVerifier verifier, GatewayProperties gateway) {
    this.properties = properties;
    this.verifier = verifier;
    this.webSocketPath = gateway.path();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    // The WebSocket endpoint authenticates its own way (and may be configured under /ws/).
    if (!properties.enabled() || !path.startsWith(ADMIN_PREFIX) || path.equals(webSocketPath)) {
      return chain.filter(exchange);
    }
    var token = BearerTokens.from(exchange.getRequest());
    if (token.isEmpty()) {
      return refuse(exchange.getResponse(), HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED,
          "Bearer token required");
    }
    return verifier.verify(token.get())
        .flatMap(principal -> principal.has(Scopes.ADMIN)
            ? chain.filter(exchange)
            : refuse(exchange.getResponse(), HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "Scope admin required"))
        .onErrorResume(TokenVerifier.InvalidToken.class, error ->
            // Policy: only a refused token is a 401 here; a failure further down the chain is not ours.
            refuse(exchange.getResponse(), HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, error.getMessage()));
  }

  private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, ErrorCode code, String message) {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    byte[] body = Json.writeBytes(new AdminAuthError(code, message));
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /** The error body, shaped like the admin API's own errors. */
  record AdminAuthError(ErrorCode code, String message) {}
}
