package io.neurograph.graph.queries;

import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.graph.GraphPath;
import io.neurograph.contracts.graph.GraphPathResult;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.path.PathResult;
import io.neurograph.graph.path.PathSearch;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestHandler;
import io.neurograph.graph.requests.ServerTypes;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code graph.path}: up to {@code limit} simple paths of at most {@code max_depth} edges, shortest first,
 * from the path search over the database. Not cached: any edge change anywhere may change a path.
 */
@Component
class FindPaths implements RequestHandler<GraphPath> {

  private final PathSearch search;

  FindPaths(PathSearch search) {
    this.search = search;
  }

  @Override
  public RequestType<GraphPath> type() {
    return GraphMessages.PATH;
  }

  @Override
  public Mono<Reply> handle(GraphPath query, Request request) {
    return search.find(query.sourceId().value(), query.targetId().value(), query.maxDepth(), query.limit())
        .map(found -> Reply.of(ServerTypes.GRAPH_PATH, result(query, found)));
  }

  /** The reply payload of a search result. */
  static GraphPathResult result(GraphPath query, PathResult found) {
    List<List<TokenId>> paths = found.paths().stream()
        .map(path -> path.stream().map(TokenId::new).toList())
        .toList();
    return new GraphPathResult(query.sourceId(), query.targetId(), paths, paths.size(), found.truncated());
  }
}
