package io.neurograph.gateway.admin;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.validation.Field;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.events.EventStream;
import io.neurograph.gateway.events.Resumer;
import io.neurograph.gateway.requests.KafkaPublisher;
import io.neurograph.gateway.requests.PendingReplies;
import io.neurograph.gateway.requests.ReplyStream;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Operator HTTP API: what this instance is doing, and messages to clients. Operator messages go through
 * Kafka so they reach the clients of every gateway instance, not only this one.
 */
@RestController
class AdminController {

  /** Largest operator message payload. */
  static final int MAX_OPERATOR_PAYLOAD_BYTES = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdminController.class);

  private final SessionRegistry registry;
  private final EventStream events;
  private final ReplyStream replies;
  private final PendingReplies pending;
  private final KafkaPublisher publisher;
  private final Topics topics;
  private final String instanceId;
  private final Resumer resumer;

  AdminController(SessionRegistry registry, EventStream events, ReplyStream replies, PendingReplies pending,
      KafkaPublisher publisher, Topics topics, GatewayProperties properties, Resumer resumer) {
    this.resumer = resumer;
    this.registry = registry;
    this.events = events;
    this.replies = replies;
    this.pending = pending;
    this.publisher = publisher;
    this.topics = topics;
    this.instanceId = properties.instanceId();
  }

  @GetMapping("/ws/stats")
  StatsView stats() {
    return new StatsView(instanceId, ManagementFactory.getRuntimeMXBean().getUptime(), registry.stats(),
        pending.size(), publisher.queued(), events.eventsConsumed(), events.duplicatesDropped(),
        events.framesDelivered(),
        replies.repliesReceived(), replies.repliesUnclaimed(),
        new ResumeStats(resumer.resumed(), resumer.notResumed(), resumer.failed(), resumer.eventsReplayed()));
  }

  @GetMapping("/ws/connections")
  ConnectionsView connections(@RequestParam(defaultValue = "100") int limit) {
    int bounded = Math.max(1, Math.min(limit, 1000));
    List<Session.SessionView> views = registry.sessions().stream()
        .map(Session::view)
        .sorted(Comparator.comparing(Session.SessionView::connectedAt))
        .limit(bounded)
        .toList();
    return new ConnectionsView(instanceId, registry.size(), views);
  }

  @PostMapping("/ws/broadcast")
  Mono<ResponseEntity<Object>> broadcast(@RequestBody JsonNode body) {
    return publish("system.broadcast", null, body);
  }

  @PostMapping("/ws/publish/{topic}")
  Mono<ResponseEntity<Object>> publishToTopic(@PathVariable String topic, @RequestBody JsonNode body) {
    Optional<String> canonical = ClientTopics.canonical(topic);
    if (canonical.isEmpty()) {
      return Mono.just(ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(new AdminError(ErrorCode.UNKNOWN_TOPIC, "Unknown topic; use tokens, graph, system or token:<token_id>")));
    }
    return publish("system.message", canonical.get(), body);
  }

  private Mono<ResponseEntity<Object>> publish(String type, String topic, JsonNode body) {
    if (body == null || !body.isObject()) {
      return Mono.just(ResponseEntity.badRequest()
          .body(new AdminError(ErrorCode.VALIDATION_FAILED, "Body must be a JSON object")));
    }
    if (Field.encodedSize(body) > MAX_OPERATOR_PAYLOAD_BYTES) {
      return Mono.just(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
          .body(new AdminError(ErrorCode.PAYLOAD_TOO_LARGE, "Body must be at most 64 KiB")));
    }
    EventMessage message = new EventMessage(UUID.randomUUID().toString(), type, EventMessage.CURRENT_VERSION,
        Instant.now(), "neurograph/gateway/" + instanceId, topic, null, body);
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaHeaderNames.CE_ID, message.eventId().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CE_TYPE, type.getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CE_SOURCE, message.source().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CE_SPEC_VERSION, KafkaHeaderNames.CE_SPEC_VERSION_VALUE.getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CE_TIME, message.occurredAt().toString().getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaderNames.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, String> record = new ProducerRecord<>(topics.systemEvents(), null,
        topic == null ? "broadcast" : topic, Json.write(message), headers);
    return publisher.publish(record)
        .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).<Object>body(new Accepted(message.eventId(), type, topic)))
        .onErrorResume(error -> {
          // Policy: the operator learns the message was not accepted and may retry; nothing was sent.
          log.warn("Operator message not published: {}", error.toString());
          return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
              .body(new AdminError(ErrorCode.UNAVAILABLE, "Kafka unavailable; message not published")));
        });
  }

  /** {@code GET /ws/stats}. */
  record StatsView(
      String instanceId,
      long uptimeMs,
      SessionRegistry.Stats sessions,
      int pendingRequests,
      int publishQueue,
      long eventsConsumed,
      long eventDuplicatesDropped,
      long framesDelivered,
      long repliesReceived,
      long repliesUnclaimed,
      ResumeStats resumes) {}

  /**
   * {@code subscribe {since}} since start.
   *
   * @param resumed replayed from their cursor
   * @param notResumed cursor beyond retention or unknown: started live with {@code resumed: false}
   * @param failed refused (too many at once) or interrupted (Kafka unavailable)
   * @param eventsReplayed events delivered by replays
   */
  record ResumeStats(long resumed, long notResumed, long failed, long eventsReplayed) {}

  /** {@code GET /ws/connections}: the oldest {@code limit} connections. */
  record ConnectionsView(String instanceId, int total, List<Session.SessionView> connections) {}

  /** An accepted operator message. */
  record Accepted(String eventId, String type, String topic) {}

  /** An admin API error. */
  record AdminError(ErrorCode code, String message) {}
}
