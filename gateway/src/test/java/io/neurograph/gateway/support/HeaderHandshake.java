package io.neurograph.gateway.support;

import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket handshake with extra headers (WsClient cannot set any): the HTTP status, or the frames. */
public final class HeaderHandshake implements AutoCloseable {

  private final BlockingQueue<String> texts;
  private final WebSocket socket;

  private HeaderHandshake(WebSocket socket, BlockingQueue<String> texts) {
    this.socket = socket;
    this.texts = texts;
  }

  /**
   * The handshake's HTTP status: 101 when upgraded (the connection is closed again), else the refusal.
   */
  public static int status(URI uri, String authorization) {
    try (HeaderHandshake open = open(uri, authorization)) {
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** Opens a connection sending {@code Authorization: <authorization>}. */
  public static HeaderHandshake open(URI uri, String authorization) {
    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", authorization)
        .buildAsync(uri, new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              texts.add(partial.toString());
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }
        })
        .orTimeout(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)
        .join();
    return new HeaderHandshake(socket, texts);
  }

  /** Sends a text frame. */
  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next text frame received, within {@link WsClient#WAIT}. */
  public String next() throws InterruptedException {
    String text = texts.poll(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (text == null) {
      throw new AssertionError("no message within " + WsClient.WAIT);
    }
    return text;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
