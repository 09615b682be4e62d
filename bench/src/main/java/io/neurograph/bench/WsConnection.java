package io.neurograph.bench;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.util.concurrent.Queues;

/**
 * One WebSocket connection to the gateway (reactor-netty, no connection pool). Text frames go to a listener as
 * strings until {@link #countOnly(LongAdder)} switches the connection to counting frames without decoding them,
 * which keeps the client's own CPU out of the way when thousands of subscribers receive every event.
 */
final class WsConnection {

  /** Receives decoded text frames; called on a Netty event loop, so it must not block. */
  interface Listener {
    void onText(WsConnection connection, String text);
  }

  private static final HttpClient CLIENT = HttpClient.newConnection();
  private static final WebsocketClientSpec SPEC = WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build();

  private final Listener listener;
  private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(8192).get());
  private final CompletableFuture<Void> established = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile LongAdder counter;
  private volatile int closeCode = -1;
  private Disposable subscription;

  private WsConnection(Listener listener) {
    this.listener = listener;
  }

  /** Starts the handshake; {@link #established()} completes with the server's first frame. */
  static WsConnection open(URI uri, Listener listener) {
    WsConnection connection = new WsConnection(listener);
    connection.subscription = CLIENT.websocket(SPEC).uri(uri.toString())
        .handle((in, out) -> Mono.firstWithSignal(
            in.aggregateFrames(1 << 20).receiveFrames().doOnNext(connection::onFrame).then(),
            out.sendString(connection.outbound.asFlux()).then()))
        .subscribe(ignored -> { }, connection::failed, connection::ended);
    return connection;
  }

  /**
   * Opens {@code count} connections (each with its own URI, so each its own {@code client_id}) with at most {@code concurrency} handshakes in flight (a burst of thousands
   * would only measure the accept queue) and waits for each to be established or to fail.
   */
  static List<WsConnection> openAll(IntFunction<URI> uris, int count, int concurrency, IntFunction<Listener> listeners) {
    Semaphore handshakes = new Semaphore(concurrency);
    List<WsConnection> connections = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      handshakes.acquireUninterruptibly();
      WsConnection connection = open(uris.apply(i), listeners.apply(i));
      connection.established().whenComplete((ok, error) -> handshakes.release());
      connections.add(connection);
    }
    handshakes.acquireUninterruptibly(concurrency);
    return connections;
  }

  /** Whether the handshake succeeded and the connection has not ended. */
  boolean isOpen() {
    return established.isDone() && !established.isCompletedExceptionally() && !closed.isDone();
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      LongAdder count = counter;
      if (count != null) {
        count.increment();
        return;
      }
      String body = text.text();
      established.complete(null);
      listener.onText(this, body);
    } else if (frame instanceof CloseWebSocketFrame close) {
      closeCode = close.statusCode();
    }
  }

  private void failed(Throwable error) {
    established.completeExceptionally(error);
    closed.complete(closeCode);
  }

  private void ended() {
    established.completeExceptionally(new IllegalStateException("closed before the first frame, code " + closeCode));
    closed.complete(closeCode);
  }

  /** From now on text frames are only counted (into {@code count}), not decoded. */
  void countOnly(LongAdder count) {
    this.counter = count;
  }

  /** Completes with the first server frame ({@code connection.established}). */
  CompletableFuture<Void> established() {
    return established;
  }

  /** Completes with the close code (-1 without a close frame) when the connection ends. */
  CompletableFuture<Integer> closed() {
    return closed;
  }

  /** Queues a text frame; false when the bounded outbound queue is full or the connection is gone. */
  synchronized boolean send(String text) {
    return outbound.tryEmitNext(text).isSuccess();
  }

  /** Cuts the connection. */
  void close() {
    if (subscription != null) {
      subscription.dispose();
    }
  }
}
