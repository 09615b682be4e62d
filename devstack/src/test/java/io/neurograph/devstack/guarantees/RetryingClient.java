package io.neurograph.devstack.guarantees;

import static org.awaitility.Awaitility.await;

import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * One client, known by its {@code client_id}, that behaves as the protocol tells a careful client to: it
 * matches replies by {@code correlation_id}, and when a request is answered {@code TIMEOUT} or
 * {@code UNAVAILABLE}, or its connection is lost, it sends it again with the same id, reconnecting to a
 * gateway that is still alive when its own is gone. Used from one thread at a time.
 */
final class RetryingClient implements AutoCloseable {

  /** A request to send: its type and payload. */
  record Request(String type, Map<String, Object> payload) {}

  private final String clientId;
  private final List<ServiceProcess> gateways;
  private ServiceProcess gateway;
  private WsClient ws;
  /**
   * The gateway promises a reply or {@code TIMEOUT} within its request timeout (10 s). A request that got
   * neither after this long is sent again with the same id, as a careful client would, and counted.
   */
  static final Duration SILENCE = Duration.ofSeconds(30);

  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();
  // When each open request was last sent, to notice a request that got no answer at all.
  private final Map<String, Long> lastSent = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger resends = new AtomicInteger();
  private final AtomicInteger reconnects = new AtomicInteger();
  // Replies to requests this client was not waiting for: an answer that reached the wrong session, or a second one.
  private final List<JsonNode> strays = new ArrayList<>();

  RetryingClient(String clientId, List<ServiceProcess> gateways, ServiceProcess preferred) {
    this.clientId = clientId;
    this.gateways = gateways;
    this.gateway = preferred;
    connect();
  }

  private void connect() {
    ws = WsClient.connect(Cluster.ws(gateway, clientId));
    sent.set(0);
    received.set(0);
    JsonNode established = ws.next("connection.established");
    if (!clientId.equals(established.get("payload").get("client_id").stringValue())) {
      throw new AssertionError("the gateway did not keep client_id " + clientId + ": " + established);
    }
  }

  /** The gateway this client is connected to now. */
  ServiceProcess gateway() {
    return gateway;
  }

  String clientId() {
    return clientId;
  }

  /**
   * Sends every request (id → request) and returns every final answer (id → reply, in the order of the
   * ids): a success or an error that re-sending cannot change. Fails after {@code atMost}.
   */
  Map<String, JsonNode> exchange(Map<String, Request> requests, Duration atMost) {
    Set<String> open = new LinkedHashSet<>(requests.keySet());
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    if (!sendAll(requests, open)) {
      reconnectAndResend(requests, open);
    }
    Map<String, String> lastRetryable = new LinkedHashMap<>();
    try {
      awaitAnswers(requests, open, answers, lastRetryable, atMost);
    } catch (ConditionTimeoutException e) {
      Map<String, String> missing = new LinkedHashMap<>();
      open.forEach(id -> missing.put(id, lastRetryable.getOrDefault(id, "nothing")));
      throw new AssertionError(clientId + " on " + gateway + " got no final answer within " + atMost + " to "
          + missing.size() + " of " + requests.size() + " requests (id=last answer): " + missing + "; "
          + resends + " re-sent in all, " + sent + " frames sent and " + received + " received on this connection, "
          + "connection " + (ws.isClosed() ? "closed" : "open"), e);
    }
    Map<String, JsonNode> ordered = new LinkedHashMap<>();
    requests.keySet().forEach(id -> ordered.put(id, answers.get(id)));
    return ordered;
  }

  private void awaitAnswers(Map<String, Request> requests, Set<String> open, Map<String, JsonNode> answers,
      Map<String, String> lastRetryable, Duration atMost) {
    await().atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          for (JsonNode message : ws.drain()) {
            received.incrementAndGet();
            JsonNode correlation = message.get("correlation_id");
            if (correlation == null) {
              continue;
            }
            String id = correlation.stringValue();
            if (!open.contains(id)) {
              strays.add(message);
            } else if (retryable(message)) {
              lastRetryable.put(id, message.get("payload").get("code").stringValue());
              resends.incrementAndGet();
              if (!send(id, requests.get(id))) {
                reconnectAndResend(requests, open);
                return false;
              }
            } else {
              answers.put(id, message);
              open.remove(id);
            }
          }
          for (String id : List.copyOf(open)) {
            Long at = lastSent.get(id);
            if (at != null && System.nanoTime() - at > SILENCE.toNanos()) {
              unanswered.incrementAndGet();
              resends.incrementAndGet();
              System.out.printf("%s: no reply and no TIMEOUT for %s within %s on %s; sending it again%n", clientId, id,
                  SILENCE, gateway);
              if (!send(id, requests.get(id))) {
                reconnectAndResend(requests, open);
                return false;
              }
            }
          }
          if (!open.isEmpty() && ws.isClosed()) {
            // The gateway is gone: whatever it had in flight for this session will never be answered there.
            reconnectAndResend(requests, open);
          }
          return open.isEmpty();
        });
  }

  /** Sends one request and waits for its final answer. */
  JsonNode ask(String id, String type, Map<String, Object> payload, Duration atMost) {
    return exchange(Map.of(id, new Request(type, payload)), atMost).get(id);
  }

  private boolean sendAll(Map<String, Request> requests, Set<String> ids) {
    for (String id : ids) {
      if (!send(id, requests.get(id))) {
        return false;
      }
    }
    return true;
  }

  private boolean send(String id, Request request) {
    try {
      ws.send(request.type(), id, request.payload());
      sent.incrementAndGet();
      lastSent.put(id, System.nanoTime());
      return true;
    } catch (RuntimeException connectionLost) {
      return false;
    }
  }

  private void reconnectAndResend(Map<String, Request> requests, Set<String> open) {
    ws.close();
    for (ServiceProcess candidate : gateways) {
      if (!candidate.isAlive()) {
        continue;
      }
      gateway = candidate;
      try {
        connect();
      } catch (RuntimeException | AssertionError notYet) {
        continue;
      }
      reconnects.incrementAndGet();
      resends.addAndGet(open.size());
      if (sendAll(requests, open)) {
        return;
      }
    }
    // Nothing reachable right now; the next poll tries again.
  }

  private static boolean retryable(JsonNode message) {
    if (!"error".equals(message.get("type").stringValue())) {
      return false;
    }
    String code = message.get("payload").get("code").stringValue();
    return "TIMEOUT".equals(code) || "UNAVAILABLE".equals(code);
  }

  /** How many times a request was sent again. */
  int resends() {
    return resends.get();
  }

  /** Requests that got neither a reply nor {@code TIMEOUT} within {@link #SILENCE} (the gateway broke its promise). */
  int unanswered() {
    return unanswered.get();
  }

  /** How many times this client had to connect to another gateway. */
  int reconnects() {
    return reconnects.get();
  }

  /** Replies for requests this client was not (or no longer) waiting for. */
  List<JsonNode> strays() {
    strays.addAll(ws.drain().stream().filter(m -> m.has("correlation_id")).toList());
    return strays;
  }

  @Override
  public void close() {
    ws.close();
  }
}
