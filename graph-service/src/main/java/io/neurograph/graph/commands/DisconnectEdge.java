package io.neurograph.graph.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.graph.GraphDisconnect;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.graph.outbox.PendingEvent;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.ServerTypes;
import io.neurograph.graph.store.EdgeStore;
import reactor.core.publisher.Mono;

/** {@code graph.disconnect}: removes the edge ({@code reason requested}); an unknown id is {@code NOT_FOUND}. */
final class DisconnectEdge implements GraphCommand<GraphDisconnect> {

  private final EdgeStore edges;

  DisconnectEdge(EdgeStore edges) {
    this.edges = edges;
  }

  @Override
  public RequestType<GraphDisconnect> type() {
    return GraphMessages.DISCONNECT;
  }

  @Override
  public Mono<CommandOutcome> decide(GraphDisconnect disconnect, Request request) {
    return edges.delete(disconnect.connectionId())
        .map(removed -> {
          GraphDisconnected disconnected = new GraphDisconnected(
              removed.connectionId(), removed.sourceId(), removed.targetId(), GraphDisconnected.REQUESTED);
          return CommandOutcome.changed(
              Reply.of(ServerTypes.GRAPH_DISCONNECTED, disconnected),
              new PendingEvent(ServerTypes.GRAPH_DISCONNECTED, removed.sourceId(), removed.connectionId(),
                  disconnected, removed.removedAt()),
              removed.sourceId(), removed.targetId());
        })
        .switchIfEmpty(Mono.fromSupplier(() -> CommandOutcome.refused(Reply.error(ErrorCode.NOT_FOUND,
            "unknown connection_id " + disconnect.connectionId(), request.command().requestId()))));
  }
}
