package io.neurograph.gateway.websocket;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Upgrades to WebSocket on Reactor Netty with the gateway's frame limit, handing handlers a
 * {@link GatewayWebSocketSession} (which can be terminated). Frames over the limit make Netty close the
 * connection with 1009; fragmented messages are reassembled up to the same limit.
 */
final class GatewayUpgradeStrategy implements RequestUpgradeStrategy {

  private final int maxFramePayloadLength;

  GatewayUpgradeStrategy(int maxFramePayloadLength) {
    this.maxFramePayloadLength = maxFramePayloadLength;
  }

  @Override
  public Mono<Void> upgrade(
      ServerWebExchange exchange,
      WebSocketHandler handler,
      @Nullable String subProtocol,
      Supplier<HandshakeInfo> handshakeInfoFactory) {
    ServerHttpResponse response = exchange.getResponse();
    HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
    HandshakeInfo info = handshakeInfoFactory.get();
    NettyDataBufferFactory bufferFactory = (NettyDataBufferFactory) response.bufferFactory();
    WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().maxFramePayloadLength(maxFramePayloadLength);
    if (subProtocol != null) {
      spec.protocols(subProtocol);
    }
    WebsocketServerSpec built = spec.build();
    return response.setComplete()
        .then(Mono.defer(() -> nettyResponse.sendWebsocket(
            (in, out) -> handler.handle(
                new GatewayWebSocketSession(in, out, info, bufferFactory, maxFramePayloadLength)),
            built)));
  }
}
