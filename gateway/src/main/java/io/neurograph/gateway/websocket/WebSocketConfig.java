package io.neurograph.gateway.websocket;

import io.neurograph.gateway.auth.AuthProperties;
import io.neurograph.gateway.auth.TokenVerifier;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.dispatch.RequestDispatcher;
import io.neurograph.gateway.observability.GatewayMetrics;
import io.neurograph.gateway.session.SessionRegistry;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/** Mounts the WebSocket endpoint at {@code neurograph.gateway.path}. */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

  @Bean
  HandlerMapping webSocketMapping(SessionRegistry registry, RequestDispatcher dispatcher, GatewayProperties properties,
      AuthProperties auth, GatewayMetrics metrics) {
    // Before the annotated controllers, so the endpoint path itself is always the WebSocket.
    return new SimpleUrlHandlerMapping(
        Map.of(properties.path(), new GatewayWebSocketHandler(registry, dispatcher, properties, auth, metrics)), -1);
  }

  @Bean
  WebSocketHandlerAdapter webSocketHandlerAdapter(SessionRegistry registry, GatewayProperties properties,
      AuthProperties auth, TokenVerifier verifier) {
    int maxFrame = (int) Math.min(Integer.MAX_VALUE, properties.maxFrameSize().toBytes());
    return new WebSocketHandlerAdapter(
        new GatewayWebSocketService(new GatewayUpgradeStrategy(maxFrame), registry, auth, verifier,
            new AllowedOrigins(properties.allowedOrigins())));
  }
}
