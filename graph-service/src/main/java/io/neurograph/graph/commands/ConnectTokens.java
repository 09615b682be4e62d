package io.neurograph.graph.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.ServerTypes;
import io.neurograph.graph.store.EdgeStore;
import io.neurograph.graph.store.ProjectionStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * {@code graph.connect}: both tokens must be live in the projection (else, once the projection caught up,
 * {@code NOT_FOUND}); an edge with the same (source, target, type) is a {@code CONFLICT} naming it. The
 * edge id is derived from the command id. Both token rows stay share-locked until the transaction ends,
 * so a deletion of either waits for this connect and then removes its edge too, and a deletion that
 * committed first makes the token not live here.
 */
final class ConnectTokens implements GraphCommand<GraphConnect> {

  private final ProjectionStore projection;
  private final EdgeStore edges;

  ConnectTokens(ProjectionStore projection, EdgeStore edges) {
    this.projection = projection;
    this.edges = edges;
  }

  @Override
  public RequestType<GraphConnect> type() {
    return GraphMessages.CONNECT;
  }

  @Override
  public Set<TokenId> catchUpFirst(GraphConnect connect) {
    return Set.of(connect.sourceId(), connect.targetId());
  }

  @Override
  public Mono<CommandOutcome> decide(GraphConnect connect, Request request) {
    return projection.lockLive(List.of(connect.sourceId(), connect.targetId()))
        .flatMap(live -> existing(connect).flatMap(existing -> {
          ConnectDecision decision = ConnectDecision.decide(connect, live, existing.orElse(null));
          return outcome(decision, connect, request);
        }));
  }

  private Mono<CommandOutcome> outcome(ConnectDecision decision, GraphConnect connect, Request request) {
    String requestId = request.command().requestId();
    if (decision instanceof ConnectDecision.NotFound notFound) {
      return Mono.just(CommandOutcome.refused(Reply.error(ErrorCode.NOT_FOUND, notFound.message(), requestId)));
    }
    if (decision instanceof ConnectDecision.Conflict conflict) {
      return Mono.just(conflict(connect, conflict.existing(), requestId));
    }
    return insert(connect, request.command());
  }

  private Mono<CommandOutcome> insert(GraphConnect connect, CommandMessage command) {
    ConnectionId id = ConnectionId.derivedFrom(command.commandId());
    return edges.insert(id, connect, command.principal())
        .map(ConnectTokens::connected)
        // Lost a race with a concurrent connect of the same ends and type, or the id is taken by a connect
        // whose command id was forgotten (re-sent after the dedupe window).
        .switchIfEmpty(Mono.defer(() -> existing(connect).map(existing -> existing
            .map(other -> conflict(connect, other, command.requestId()))
            .orElseGet(() -> CommandOutcome.refused(Reply.error(
                ErrorCode.CONFLICT, "Connection " + id + " already exists", command.requestId()))))));
  }

  private Mono<Optional<ConnectionId>> existing(GraphConnect connect) {
    return edges.find(connect.sourceId(), connect.targetId(), connect.type())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  private static CommandOutcome conflict(GraphConnect connect, ConnectionId existing, String requestId) {
    return CommandOutcome.refused(
        Reply.error(ErrorCode.CONFLICT, ConnectDecision.conflictMessage(connect, existing), requestId));
  }

  private static CommandOutcome connected(Edge edge) {
    return CommandOutcome.changed(
        Reply.of(ServerTypes.GRAPH_CONNECTED, edge),
        new PendingEvent(ServerTypes.GRAPH_CONNECTED, edge.sourceId(), edge.connectionId(), edge, edge.createdAt()),
        edge.sourceId(), edge.targetId());
  }
}
