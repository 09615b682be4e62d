package io.neurograph.gateway.websocket;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Spring's Reactor Netty session with two changes the gateway needs:
 *
 * <ul>
 *   <li>it can cut the connection: a close frame queues behind unwritten data, so for a client that
 *       stopped reading it may never leave; the gateway then terminates the channel after a grace period;
 *   <li>it reassembles fragmented messages itself. Netty refuses a single oversized frame with close code
 *       1009, but an oversized message split into fragments would end in a bare connection drop; here it
 *       is reported to the gateway, which closes with 1009 as the protocol promises.
 * </ul>
 */
final class GatewayWebSocketSession extends ReactorNettyWebSocketSession {

  private final int maxMessageBytes;
  private volatile Runnable onOversize = () -> {};

  GatewayWebSocketSession(
      WebsocketInbound inbound,
      WebsocketOutbound outbound,
      HandshakeInfo info,
      NettyDataBufferFactory bufferFactory,
      int maxMessageBytes) {
    super(inbound, outbound, info, bufferFactory, maxMessageBytes);
    this.maxMessageBytes = maxMessageBytes;
  }

  /** What to do when a fragmented message grows beyond the limit (its fragments are then dropped). */
  void onOversize(Runnable action) {
    this.onOversize = action;
  }

  /** Disposes the underlying connection immediately, without a close handshake. */
  void terminate() {
    getDelegate().getInbound().withConnection(Connection::dispose);
  }

  @Override
  public Flux<WebSocketMessage> receive() {
    Assembler assembler = new Assembler();
    return getDelegate().getInbound().receiveFrames().handle((frame, sink) -> {
      WebSocketMessage message = assembler.accept(frame);
      if (message != null) {
        sink.next(message);
      }
    });
  }

  /** Joins fragments; one per connection, used only from the inbound thread. */
  private final class Assembler {
    private ByteArrayOutputStream partial;
    private WebSocketMessage.Type partialType;
    private boolean discarding;

    WebSocketMessage accept(WebSocketFrame frame) {
      boolean dataFrame = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
      if (frame instanceof ContinuationWebSocketFrame) {
        return continuation(frame);
      }
      if (!dataFrame) {
        return toMessage(frame);
      }
      discarding = false;
      if (frame.isFinalFragment()) {
        partial = null;
        return toMessage(frame);
      }
      partialType = frame instanceof TextWebSocketFrame ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY;
      partial = new ByteArrayOutputStream();
      return append(frame);
    }

    private WebSocketMessage continuation(WebSocketFrame frame) {
      if (discarding || partial == null) {
        return null;
      }
      return append(frame);
    }

    private WebSocketMessage append(WebSocketFrame frame) {
      int size = frame.content().readableBytes();
      if (partial.size() + size > maxMessageBytes) {
        partial = null;
        discarding = true;
        onOversize.run();
        return null;
      }
      byte[] bytes = new byte[size];
      frame.content().getBytes(frame.content().readerIndex(), bytes);
      partial.writeBytes(bytes);
      if (!frame.isFinalFragment()) {
        return null;
      }
      WebSocketMessage message =
          new WebSocketMessage(partialType, bufferFactory().wrap(partial.toByteArray()));
      partial = null;
      return message;
    }
  }
}
