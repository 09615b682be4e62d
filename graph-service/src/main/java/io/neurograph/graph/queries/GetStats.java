package io.neurograph.graph.queries;

import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.graph.GraphStats;
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
 * {@code graph.stats}: live tokens of the projection, edges, average degree and density, computed by
 * PostgreSQL and read through the cache (whole-graph generation).
 */
@Component
class GetStats implements RequestHandler<GraphStats> {

  private final EdgeStore edges;
  private final GraphCache cache;

  GetStats(EdgeStore edges, GraphCache cache) {
    this.edges = edges;
    this.cache = cache;
  }

  @Override
  public RequestType<GraphStats> type() {
    return GraphMessages.STATS;
  }

  @Override
  public Mono<Reply> handle(GraphStats query, Request request) {
    return cache.stats(edges.stats()).map(result -> Reply.of(ServerTypes.GRAPH_STATS, result));
  }
}
