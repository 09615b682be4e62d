package io.neurograph.gateway.session;

import io.neurograph.contracts.Envelope;
import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.config.GatewayProperties;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One client connection: its identity, subscriptions, limits and the bounded queue of frames waiting to
 * be written. Anything may offer frames from any thread; a full queue closes the connection with 4008
 * instead of growing, so one slow client can never hold unbounded memory or slow anyone else.
 */
public final class Session {

  /** Close code for a client that cannot keep up. */
  public static final CloseStatus SLOW_CONSUMER = new CloseStatus(4008, "slow consumer");
  /** What {@link #closeCode()} reports when the client closed (or the channel died) before the gateway asked to. */
  public static final int PEER_CLOSED = -1;

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final String connectionId;
  private final String clientId;
  private final String remoteAddress;
  private final Instant connectedAt = Instant.now();
  private final int maxMessages;
  private final long maxBytes;
  private final Sinks.Many<Outgoing> queue;
  private final Sinks.One<CloseStatus> closeRequest = Sinks.one();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong messagesOut = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  // Only subscriptions resuming from a cursor have a gate, and only until their replay is done.
  private final Map<String, ResumeGate> gates = new ConcurrentHashMap<>();
  // Replay threads wait on this for the writer to drain the queue; the writer only notifies when asked.
  private final Object room = new Object();
  private volatile boolean roomWanted;
  private final TokenBucket bucket;
  private final Runnable onSlowConsumer;
  private final SessionObserver observer;
  private volatile int closeCode = PEER_CLOSED;
  // Holds only the latest principal: the auth watch restarts its timer from whatever is current.
  private final Sinks.Many<Principal> principals = Sinks.many().replay().latest();
  private volatile Principal principal;
  private final Sinks.Empty<Void> lastFrameTaken = Sinks.empty();
  private volatile Outgoing closeAfter;
  private volatile CloseStatus closeAfterStatus;
  private volatile boolean closing;
  private volatile long lastInboundNanos = System.nanoTime();

  Session(
      String connectionId,
      String clientId,
      String remoteAddress,
      GatewayProperties properties,
      Runnable onSlowConsumer,
      SessionObserver observer) {
    this.connectionId = connectionId;
    this.clientId = clientId;
    this.remoteAddress = remoteAddress;
    this.maxMessages = properties.outbound().maxMessages();
    this.maxBytes = properties.outbound().maxBytes().toBytes();
    // The counters checked in offer() bound the queue; the queue itself grows in small chunks, because a
    // preallocated array for max-messages costs every idle connection about 4 KB of heap.
    this.queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<Outgoing>unbounded(16).get());
    var rate = properties.rateLimit();
    this.bucket = rate.enabled() ? new TokenBucket(rate.capacity(), rate.refillPerSecond(), System.nanoTime()) : null;
    this.onSlowConsumer = onSlowConsumer;
    this.observer = observer;
  }

  /** Server-assigned connection id. */
  public String connectionId() {
    return connectionId;
  }

  /** The client's id (chosen by the client or generated). */
  public String clientId() {
    return clientId;
  }

  /** Remote address as seen at the handshake. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** When the connection was established. */
  public Instant connectedAt() {
    return connectedAt;
  }

  /** Who is on this connection; {@code null} until a token was accepted (mode {@code jwt}). */
  public Principal principal() {
    return principal;
  }

  /** Sets (or, on refresh, replaces) the connection's principal; subscriptions are kept. */
  public void authenticate(Principal newPrincipal) {
    // Serialized: two auth frames may be verified concurrently, and the sink needs one emitter at a time.
    synchronized (principals) {
      principal = newPrincipal;
      principals.tryEmitNext(newPrincipal);
    }
  }

  /** The current principal (if any) and every later one; completes when the connection is gone. */
  public Flux<Principal> principalChanges() {
    return principals.asFlux();
  }

  /** Topics this connection is subscribed to (live view). */
  public Set<String> topics() {
    return Collections.unmodifiableSet(topics);
  }

  /** Adds a topic; false when it was already there. */
  boolean addTopic(String topic) {
    return topics.add(topic);
  }

  /** Removes a topic (stopping its replay, if any); false when it was not there. */
  boolean removeTopic(String topic) {
    ResumeGate gate = gates.remove(topic);
    if (gate != null) {
      gate.cancel();
    }
    return topics.remove(topic);
  }

  /** A gate for a subscription that resumes from a cursor, bounded like the outbound queue. */
  public ResumeGate newResumeGate(String topic) {
    return new ResumeGate(this, topic, maxMessages, maxBytes);
  }

  /** Back to the fast path once a replay is over. */
  void dropGate(String topic, ResumeGate gate) {
    gates.remove(topic, gate);
  }

  /** Attaches the gate of a resuming subscription to its topic. */
  void putGate(String topic, ResumeGate gate) {
    gates.put(topic, gate);
  }

  /** Whether {@code gate} is still the one of {@code topic} (false once unsubscribed or closed). */
  boolean hasGate(String topic, ResumeGate gate) {
    return gates.get(topic) == gate;
  }

  /**
   * Queues an event delivered on {@code topic}; while that subscription replays older events, the frame
   * waits behind them instead.
   */
  public boolean deliver(String topic, Outgoing frame) {
    if (!gates.isEmpty()) {
      ResumeGate gate = gates.get(topic);
      if (gate != null && gate.hold(frame)) {
        return true;
      }
    }
    return offer(frame);
  }

  /**
   * Blocks until the outbound queue is at most half full, so a replay goes at the client's pace instead of
   * overflowing it. Only for replay threads, never an event loop.
   *
   * @return false when the connection closes first
   */
  public boolean awaitRoom() {
    synchronized (room) {
      while (!hasRoom()) {
        if (closing) {
          return false;
        }
        roomWanted = true;
        try {
          // Bounded so a close (which does not notify) is noticed soon.
          room.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closing;
    }
  }

  private boolean hasRoom() {
    return queuedMessages.get() <= maxMessages / 2 && queuedBytes.get() <= maxBytes / 2;
  }

  /** Sends one envelope (serialized here). */
  public boolean send(Envelope envelope) {
    return offer(Outgoing.of(envelope));
  }

  /**
   * Queues a frame for writing.
   *
   * @return false when the frame was dropped because the connection is closing (or just overflowed)
   */
  public boolean offer(Outgoing frame) {
    boolean overflow;
    synchronized (this) {
      if (closing) {
        return false;
      }
      overflow = queuedMessages.get() >= maxMessages || queuedBytes.get() + frame.bytes() > maxBytes;
      if (!overflow) {
        queuedMessages.incrementAndGet();
        queuedBytes.addAndGet(frame.bytes());
        Sinks.EmitResult result = queue.tryEmitNext(frame);
        if (result.isFailure()) {
          queuedMessages.decrementAndGet();
          queuedBytes.addAndGet(-frame.bytes());
          overflow = result == Sinks.EmitResult.FAIL_OVERFLOW;
          if (!overflow) {
            return false; // terminated: the connection is gone
          }
        }
      }
      if (overflow) {
        closing = true;
      }
    }
    if (overflow) {
      log.info("Closing {} (client {}): outbound buffer full ({} messages, {} bytes)",
          connectionId, clientId, queuedMessages.get(), queuedBytes.get());
      onSlowConsumer.run();
      requestClose(SLOW_CONSUMER);
      return false;
    }
    return true;
  }

  /** Closes with 4008 because {@code what} outgrew its bound. */
  void closeSlow(String what) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    log.info("Closing {} (client {}): too many {}", connectionId, clientId, what);
    onSlowConsumer.run();
    requestClose(SLOW_CONSUMER);
  }

  /**
   * Sends a last frame and closes with {@code status} once it has been written (a plain {@link #requestClose}
   * drops frames still queued, and its close frame could overtake them). Closes at once when the frame
   * cannot be queued.
   */
  public void sendThenClose(Envelope last, CloseStatus status) {
    Outgoing frame = Outgoing.of(last);
    synchronized (this) {
      closeAfterStatus = status;
      closeAfter = frame;
    }
    if (!offer(frame)) {
      requestClose(status);
    }
  }

  /** Frames to write, in order; ends when a close is requested. */
  public Flux<Outgoing> outbound() {
    return queue.asFlux()
        .doOnNext(frame -> {
          queuedMessages.decrementAndGet();
          queuedBytes.addAndGet(-frame.bytes());
          messagesOut.incrementAndGet();
          observer.written(frame);
          if (frame.written() != null) {
            frame.written().run();
          }
          if (roomWanted && hasRoom()) {
            synchronized (room) {
              roomWanted = false;
              room.notifyAll();
            }
          }
          if (frame == closeAfter) {
            lastFrameTaken.tryEmitEmpty();
          }
        })
        // Ends right after a last frame: the writer flushes it, then the handler asks for the close.
        .takeUntil(frame -> frame == closeAfter)
        .takeUntilOther(closeRequest.asMono());
  }

  /** Completes when a frame of {@link #sendThenClose} has been taken for writing. */
  public Mono<Void> lastFrameTaken() {
    return lastFrameTaken.asMono();
  }

  /** Once the writer finished: the close {@link #sendThenClose} asked for (nothing when none was asked). */
  public void closeAfterLastFrame() {
    CloseStatus status = closeAfterStatus;
    if (status != null) {
      requestClose(status);
    }
  }

  /** Asks for the connection to be closed with this status; the first request wins. */
  public void requestClose(CloseStatus status) {
    closing = true;
    if (closeRequest.tryEmitValue(status).isSuccess()) {
      closeCode = status.getCode();
    }
  }

  /** The close code the gateway asked for (the first request), or {@link #PEER_CLOSED}. */
  public int closeCode() {
    return closeCode;
  }

  /** Frames waiting to be written. */
  public int queuedMessages() {
    return queuedMessages.get();
  }

  /** How full the outbound queue is, 0 to 1: the larger of its message and byte fill. */
  public double outboundFill() {
    return Math.max((double) queuedMessages.get() / maxMessages, (double) queuedBytes.get() / maxBytes);
  }

  /** The peer closed (or the channel died): nothing more will be written, no close frame is needed. */
  public void peerGone() {
    closing = true;
    closeRequest.tryEmitEmpty();
  }

  /** Final clean-up once every pipeline of the connection ended. */
  void closed() {
    peerGone();
    queue.tryEmitComplete();
    synchronized (principals) {
      principals.tryEmitComplete();
    }
  }

  /** Emits the requested close status, or completes empty when the peer went away first. */
  public Mono<CloseStatus> closeRequestedSignal() {
    return closeRequest.asMono();
  }

  /** Whether no more frames will be accepted. */
  public boolean isClosing() {
    return closing;
  }

  /**
   * Takes one inbound-frame token.
   *
   * @return 0 when allowed, else milliseconds to wait
   */
  public long rateLimit() {
    return bucket == null ? 0 : bucket.tryTake(System.nanoTime());
  }

  /** Records inbound activity (any frame, including pongs) for the idle timeout. */
  public void touch() {
    lastInboundNanos = System.nanoTime();
  }

  /** Time since the last inbound frame. */
  public java.time.Duration idleFor() {
    return java.time.Duration.ofNanos(System.nanoTime() - lastInboundNanos);
  }

  /** Counts an inbound frame. */
  public void countInbound() {
    messagesIn.incrementAndGet();
  }

  /** Reserves a slot for a request awaiting a service reply; false when the limit is reached. */
  public boolean tryStartRequest(int limit) {
    while (true) {
      int current = inFlight.get();
      if (current >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Releases a slot taken by {@link #tryStartRequest}. */
  public void endRequest() {
    inFlight.decrementAndGet();
  }

  /** A point-in-time view for the admin API. */
  public SessionView view() {
    return new SessionView(connectionId, clientId, remoteAddress, connectedAt, Set.copyOf(topics),
        queuedMessages.get(), queuedBytes.get(), messagesIn.get(), messagesOut.get(), inFlight.get());
  }

  /**
   * Admin view of a connection.
   *
   * @param queuedMessages frames waiting to be written
   * @param queuedBytes their UTF-8 size
   * @param inFlightRequests service requests awaiting a reply
   */
  public record SessionView(
      String connectionId,
      String clientId,
      String remoteAddress,
      Instant connectedAt,
      Set<String> subscriptions,
      int queuedMessages,
      long queuedBytes,
      long messagesIn,
      long messagesOut,
      int inFlightRequests) {}
}
