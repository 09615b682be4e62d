package io.neurograph.graph.queries;

import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.graph.GraphNeighbors;
import io.neurograph.contracts.graph.GraphNeighborsResult;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.graph.cache.GraphCache;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestHandler;
import io.neurograph.graph.requests.ServerTypes;
import io.neurograph.graph.store.EdgeStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code graph.neighbors}: a token's edges (outgoing: it is the source; incoming: the target; both),
 * optionally of one type, oldest first, with the total of all matching edges; read through the cache. An
 * unknown token has no edges: queries never answer {@code NOT_FOUND}.
 */
@Component
class GetNeighbors implements RequestHandler<GraphNeighbors> {

  private final EdgeStore edges;
  private final GraphCache cache;

  GetNeighbors(EdgeStore edges, GraphCache cache) {
    this.edges = edges;
    this.cache = cache;
  }

  @Override
  public RequestType<GraphNeighbors> type() {
    return GraphMessages.NEIGHBORS;
  }

  @Override
  public Mono<Reply> handle(GraphNeighbors query, Request request) {
    Mono<GraphNeighborsResult> fromDatabase = edges.neighbors(query.tokenId(), query.direction(), query.type(),
            query.limit())
        .map(page -> new GraphNeighborsResult(query.tokenId(), query.direction(), page.neighbors(),
            page.neighbors().size(), page.total()));
    return cache.neighbors(query, fromDatabase).map(result -> Reply.of(ServerTypes.GRAPH_NEIGHBORS, result));
  }
}
