package io.neurograph.graph.queries;

import io.neurograph.contracts.graph.GraphDegree;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.graph.cache.GraphCache;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestHandler;
import io.neurograph.graph.requests.ServerTypes;
import io.neurograph.graph.store.EdgeStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code graph.degree}: edges ending and starting at a token, counted by PostgreSQL, read through the cache. */
@Component
class GetDegree implements RequestHandler<GraphDegree> {

  private final EdgeStore edges;
  private final GraphCache cache;

  GetDegree(EdgeStore edges, GraphCache cache) {
    this.edges = edges;
    this.cache = cache;
  }

  @Override
  public RequestType<GraphDegree> type() {
    return GraphMessages.DEGREE;
  }

  @Override
  public Mono<Reply> handle(GraphDegree query, Request request) {
    return cache.degree(query.tokenId(), edges.degree(query.tokenId()))
        .map(result -> Reply.of(ServerTypes.GRAPH_DEGREE, result));
  }
}
