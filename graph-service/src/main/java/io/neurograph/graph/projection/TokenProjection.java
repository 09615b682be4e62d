package io.neurograph.graph.projection;

import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.cache.GraphCache;
import io.neurograph.graph.outbox.OutboxWriter;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.requests.ServerTypes;
import io.neurograph.graph.store.EdgeStore;
import io.neurograph.graph.store.ProjectionStore;
import io.neurograph.graph.store.RemovedEdge;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies token events to the projection, exactly once each. Per record, ONE transaction: lock the
 * partition's position; a record below it is a redelivery and changes nothing; an event id already in
 * {@code processed_events} (a relay re-published it at a new offset) has no effect but still moves the
 * position; {@code token.created}/{@code token.updated} make the token live; {@code token.deleted} makes
 * it a tombstone, deletes every edge touching it and writes one {@code graph.disconnected} event
 * ({@code reason token_deleted}) per removed edge to the outbox; then the position moves past the record.
 * Effect, events, event id and position commit together, so a crash anywhere yields each removal and its
 * event exactly once. After the commit: cache invalidation, relay wake-up.
 */
@Component
public class TokenProjection {

  private static final Logger log = LoggerFactory.getLogger(TokenProjection.class);

  private final ProjectionStore projection;
  private final EdgeStore edges;
  private final OutboxWriter outbox;
  private final GraphCache cache;
  private final TransactionalOperator transactions;

  TokenProjection(
      ProjectionStore projection, EdgeStore edges, OutboxWriter outbox, GraphCache cache,
      TransactionalOperator transactions) {
    this.projection = projection;
    this.edges = edges;
    this.outbox = outbox;
    this.cache = cache;
    this.transactions = transactions;
  }

  /** Applies one record's event; emits what happened. */
  Mono<Applied> apply(TokenEvent event) {
    Mono<Applied> once = projection.lockPosition(event.topic(), event.partition())
        .flatMap(next -> {
          if (event.offset() < next) {
            return Mono.just(Applied.REDELIVERED);
          }
          return effect(event)
              .flatMap(applied -> projection.advance(event.topic(), event.partition(), event.offset() + 1)
                  .thenReturn(applied));
        });
    return transactions.transactional(once).flatMap(applied -> afterCommit(event, applied));
  }

  /** Moves the position past a record that will never be applied (dead-lettered). */
  Mono<Void> skip(String topic, int partition, long offset) {
    return projection.advance(topic, partition, offset + 1);
  }

  private Mono<Applied> effect(TokenEvent event) {
    if (!event.isProjected()) {
      return Mono.just(Applied.IGNORED);
    }
    return projection.markProcessed(event.eventId()).flatMap(fresh -> {
      if (!fresh) {
        return Mono.just(Applied.DUPLICATE);
      }
      if (TokenEvent.DELETED.equals(event.type())) {
        return delete(event);
      }
      return projection.markLive(event.tokenId()).thenReturn(Applied.changed(Set.of(event.tokenId()), 0));
    });
  }

  private Mono<Applied> delete(TokenEvent event) {
    TokenId token = event.tokenId();
    return projection.markDeleted(token)
        .then(edges.deleteTouching(token))
        .flatMap(removed -> outbox.append(disconnectedEvents(removed), event.correlationId(), event.traceparent())
            .thenReturn(Applied.changed(touched(token, removed), removed.size())));
  }

  /** One {@code graph.disconnected} event ({@code reason token_deleted}) per removed edge. */
  static List<PendingEvent> disconnectedEvents(List<RemovedEdge> removed) {
    return removed.stream()
        .map(edge -> new PendingEvent(
            ServerTypes.GRAPH_DISCONNECTED, edge.sourceId(), edge.connectionId(),
            new GraphDisconnected(edge.connectionId(), edge.sourceId(), edge.targetId(),
                GraphDisconnected.TOKEN_DELETED),
            edge.removedAt()))
        .toList();
  }

  private static Set<TokenId> touched(TokenId token, List<RemovedEdge> removed) {
    Set<TokenId> touched = new LinkedHashSet<>();
    touched.add(token);
    for (RemovedEdge edge : removed) {
      touched.add(edge.sourceId());
      touched.add(edge.targetId());
    }
    return touched;
  }

  private Mono<Applied> afterCommit(TokenEvent event, Applied applied) {
    log.debug("{} {}-{}@{}: {}", event.type(), event.topic(), event.partition(), event.offset(), applied.outcome());
    if (applied.touched().isEmpty()) {
      return Mono.just(applied);
    }
    // Invalidate before waking the relay: a client that sees the event and reads again gets fresh data.
    return cache.invalidate(applied.touched())
        .then(Mono.fromRunnable(() -> {
          if (applied.events() > 0) {
            outbox.committed();
          }
        }))
        .thenReturn(applied);
  }

  /**
   * What applying a record did.
   *
   * @param outcome {@code applied}, {@code redelivered}, {@code duplicate} or {@code ignored}
   * @param touched tokens whose cached reads became stale
   * @param events graph events written to the outbox
   */
  record Applied(String outcome, Set<TokenId> touched, int events) {

    static final Applied REDELIVERED = new Applied("redelivered", Set.of(), 0);
    static final Applied DUPLICATE = new Applied("duplicate", Set.of(), 0);
    static final Applied IGNORED = new Applied("ignored", Set.of(), 0);

    static Applied changed(Set<TokenId> touched, int events) {
      return new Applied("applied", touched, events);
    }
  }
}
