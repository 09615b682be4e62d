package io.neurograph.gateway.session;

import io.neurograph.gateway.config.GatewayProperties;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Every open connection of this instance and which topics they subscribe to. The topic index is what
 * fan-out reads for each event, so it is kept as a concurrent map of concurrent sets: reads never lock.
 */
@Component
public class SessionRegistry implements SmartLifecycle {

  /** Close status for connections still open when the instance shuts down: clients reconnect elsewhere. */
  static final CloseStatus GOING_AWAY = new CloseStatus(1001, "server shutting down");

  private final GatewayProperties properties;
  private final SessionObserver observer;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Set<Session>> byTopic = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong slowConsumerCloses = new AtomicLong();
  private final AtomicLong refusedHandshakes = new AtomicLong();
  private volatile boolean running;

  /** Creates a registry nobody observes. */
  public SessionRegistry(GatewayProperties properties) {
    this(properties, SessionObserver.NONE);
  }

  /** Creates the registry; {@code observer} sees every connection and every frame written. */
  @Autowired
  public SessionRegistry(GatewayProperties properties, SessionObserver observer) {
    this.properties = properties;
    this.observer = observer;
  }

  /**
   * Reserves room for one more connection before the handshake completes.
   *
   * @return false when the instance is full (the handshake is then refused with 503)
   */
  public boolean tryReserve() {
    while (true) {
      int current = reserved.get();
      if (current >= properties.maxConnections()) {
        refusedHandshakes.incrementAndGet();
        return false;
      }
      if (reserved.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Gives back a reservation whose handshake did not become a session. */
  public void releaseReservation() {
    reserved.decrementAndGet();
  }

  /** Turns a reservation into an open session. */
  public Session open(String clientId, String remoteAddress) {
    Session session = new Session(UUID.randomUUID().toString(), clientId, remoteAddress, properties,
        () -> {
          slowConsumerCloses.incrementAndGet();
          observer.slowConsumer();
        },
        observer);
    sessions.put(session.connectionId(), session);
    opened.incrementAndGet();
    observer.opened();
    return session;
  }

  /** Forgets a session and its subscriptions, and frees its reservation. */
  public void close(Session session) {
    // Under the session's lock so a subscribe racing with the close cannot leave it in the topic index.
    synchronized (session) {
      session.closed();
      for (String topic : Set.copyOf(session.topics())) {
        unsubscribe(session, topic);
      }
    }
    if (sessions.remove(session.connectionId()) != null) {
      reserved.decrementAndGet();
      observer.closed(session.closeCode());
    }
  }

  /**
   * Subscribes a session to a canonical topic.
   *
   * @return the outcome, which tells whether the per-connection limit refused it
   */
  public SubscribeOutcome subscribe(Session session, String topic) {
    synchronized (session) {
      if (session.topics().contains(topic) || session.isClosing()) {
        return SubscribeOutcome.ALREADY_SUBSCRIBED;
      }
      if (session.topics().size() >= properties.maxSubscriptions()) {
        return SubscribeOutcome.LIMIT_REACHED;
      }
      session.addTopic(topic);
      byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(session);
      return SubscribeOutcome.SUBSCRIBED;
    }
  }

  /**
   * Reserves a subscription that will resume from a cursor: it counts against the limit at once, but joins
   * the topic index only when {@link #activate} finds the seam.
   */
  public SubscribeOutcome reserve(Session session, String topic, ResumeGate gate) {
    synchronized (session) {
      if (session.topics().contains(topic) || session.isClosing()) {
        return SubscribeOutcome.ALREADY_SUBSCRIBED;
      }
      if (session.topics().size() >= properties.maxSubscriptions()) {
        return SubscribeOutcome.LIMIT_REACHED;
      }
      session.addTopic(topic);
      session.putGate(topic, gate);
      return SubscribeOutcome.SUBSCRIBED;
    }
  }

  /**
   * Lets live events reach a reserved subscription (they wait at its gate until the replay is done).
   *
   * @return false when it was unsubscribed, or the connection closed, in the meantime
   */
  public boolean activate(Session session, String topic, ResumeGate gate) {
    synchronized (session) {
      if (!session.hasGate(topic, gate) || session.isClosing()) {
        return false;
      }
      byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(session);
      return true;
    }
  }

  /** Removes a subscription; false when there was none. */
  public boolean unsubscribe(Session session, String topic) {
    synchronized (session) {
      boolean removed = session.removeTopic(topic);
      byTopic.computeIfPresent(topic, (t, members) -> {
        members.remove(session);
        return members.isEmpty() ? null : members;
      });
      return removed;
    }
  }

  /** Sessions subscribed to a topic (live view; empty when none). */
  public Set<Session> subscribers(String topic) {
    Set<Session> members = byTopic.get(topic);
    return members == null ? Set.of() : members;
  }

  /** All open sessions (live view). */
  public Collection<Session> sessions() {
    return sessions.values();
  }

  /** Number of open sessions. */
  public int size() {
    return sessions.size();
  }

  @Override
  public void start() {
    running = true;
  }

  /** Asks every client to go away before the web server stops, so they can resume on another instance. */
  @Override
  public void stop() {
    running = false;
    sessions.values().forEach(session -> session.requestClose(GOING_AWAY));
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Counters for the admin API. */
  public Stats stats() {
    Map<String, Integer> topics = new java.util.TreeMap<>();
    byTopic.forEach((topic, members) -> topics.put(topic, members.size()));
    int subscriptions = topics.values().stream().mapToInt(Integer::intValue).sum();
    return new Stats(sessions.size(), opened.get(), refusedHandshakes.get(), slowConsumerCloses.get(),
        subscriptions, topics);
  }

  /** Result of {@link #subscribe}. */
  public enum SubscribeOutcome {
    /** Newly subscribed. */
    SUBSCRIBED,
    /** Was already subscribed; nothing changed. */
    ALREADY_SUBSCRIBED,
    /** The per-connection subscription limit refused it. */
    LIMIT_REACHED
  }

  /**
   * Connection counters.
   *
   * @param connections open now
   * @param connectionsOpened since start
   * @param handshakesRefused refused with 503 because the instance was full
   * @param slowConsumerCloses connections closed with 4008
   * @param subscriptions open subscriptions
   * @param subscribersByTopic subscribers per topic
   */
  public record Stats(
      int connections,
      long connectionsOpened,
      long handshakesRefused,
      long slowConsumerCloses,
      int subscriptions,
      Map<String, Integer> subscribersByTopic) {}
}
