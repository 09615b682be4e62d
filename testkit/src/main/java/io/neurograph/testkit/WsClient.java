package io.neurograph.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (the JDK's) for tests: collects every text message as JSON, counts pings,
 * records the close code, and can stop reading to play a slow consumer.
 */
public final class WsClient implements AutoCloseable {

  /** Generous bound for anything a test waits for on a noisy machine. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  // Messages a predicate passed over; only the test's own thread touches them.
  private final java.util.ArrayDeque<JsonNode> skipped = new java.util.ArrayDeque<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final AtomicInteger pings = new AtomicInteger();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean reading = true;
  private WebSocket socket;

  private WsClient() {}

  /** Connects and returns once the handshake succeeded. */
  public static WsClient connect(URI uri) {
    WsClient client = new WsClient();
    client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(WAIT)
        .buildAsync(uri, client.listener())
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
        .join();
    return client;
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      @Override
      public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          messages.add(JSON.readTree(partial.toString()));
          partial.setLength(0);
        }
        if (reading) {
          webSocket.request(1);
        }
        return null;
      }

      @Override
      public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        if (reading) {
          webSocket.request(1);
        }
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(-1);
      }
    };
  }

  /** Sends a text frame. */
  public WsClient sendText(String text) {
    socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return this;
  }

  /** Sends an envelope built from type, id and payload. */
  public WsClient send(String type, String id, Object payload) {
    Map<String, Object> envelope = new java.util.LinkedHashMap<>();
    if (id != null) {
      envelope.put("id", id);
    }
    envelope.put("type", type);
    envelope.put("payload", payload);
    return sendText(JSON.writeValueAsString(envelope));
  }

  /** Sends a binary frame. */
  public WsClient sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return this;
  }

  /** The next message, failing the test if none arrives in time. */
  public JsonNode next() {
    if (!skipped.isEmpty()) {
      return skipped.removeFirst();
    }
    try {
      JsonNode message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no message within " + WAIT);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The next message matching. The others are kept, in order, for later calls: a reply and an event
   * travel different Kafka topics, so either may come first.
   */
  public JsonNode next(Predicate<JsonNode> matching) {
    return next(matching, WAIT);
  }

  /** The next message matching, waiting at most {@code wait}; the others are kept as by {@link #next(Predicate)}. */
  public JsonNode next(Predicate<JsonNode> matching, Duration wait) {
    for (var it = skipped.iterator(); it.hasNext(); ) {
      JsonNode message = it.next();
      if (matching.test(message)) {
        it.remove();
        return message;
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        JsonNode message = messages.poll(200, TimeUnit.MILLISECONDS);
        if (message == null) {
          continue;
        }
        if (matching.test(message)) {
          return message;
        }
        skipped.addLast(message);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no matching message within " + wait);
  }

  /** The next message of a type. */
  public JsonNode next(String type) {
    return next(m -> type.equals(m.get("type").stringValue()));
  }

  /** The reply correlated with a request id. */
  public JsonNode replyTo(String requestId) {
    return next(m -> m.has("correlation_id") && requestId.equals(m.get("correlation_id").stringValue()));
  }

  /** Messages received and not yet taken. */
  public List<JsonNode> drain() {
    List<JsonNode> all = new ArrayList<>(skipped);
    skipped.clear();
    messages.drainTo(all);
    return all;
  }

  /** Stops asking for more frames: the client becomes a slow consumer. */
  public void stopReading() {
    reading = false;
  }

  /** Reads again, as fast as frames come. */
  public void resumeReading() {
    reading = true;
    socket.request(Long.MAX_VALUE);
  }

  /** Pings received. */
  public int pings() {
    return pings.get();
  }

  /** The close code once the connection closed (-1 for an abnormal end). */
  public CompletableFuture<Integer> closeCode() {
    return closeCode;
  }

  /** Whether the connection has closed. */
  public boolean isClosed() {
    return closeCode.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
