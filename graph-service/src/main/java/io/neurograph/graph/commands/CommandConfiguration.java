package io.neurograph.graph.commands;

import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphDisconnect;
import io.neurograph.graph.cache.GraphCache;
import io.neurograph.graph.outbox.OutboxWriter;
import io.neurograph.graph.projection.ProjectionBarrier;
import io.neurograph.graph.requests.RequestHandler;
import io.neurograph.graph.store.EdgeStore;
import io.neurograph.graph.store.ProcessedCommands;
import io.neurograph.graph.store.ProjectionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

/** One deduplicated, transactional handler per state-changing request type. */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

  private final ProcessedCommands processed;
  private final OutboxWriter outbox;
  private final GraphCache cache;
  private final ProjectionBarrier barrier;
  private final TransactionalOperator transactions;

  CommandConfiguration(
      ProcessedCommands processed, OutboxWriter outbox, GraphCache cache, ProjectionBarrier barrier,
      TransactionalOperator transactions) {
    this.processed = processed;
    this.outbox = outbox;
    this.cache = cache;
    this.barrier = barrier;
    this.transactions = transactions;
  }

  @Bean
  RequestHandler<GraphConnect> connectHandler(ProjectionStore projection, EdgeStore edges) {
    return deduped(new ConnectTokens(projection, edges));
  }

  @Bean
  RequestHandler<GraphDisconnect> disconnectHandler(EdgeStore edges) {
    return deduped(new DisconnectEdge(edges));
  }

  private <P> RequestHandler<P> deduped(GraphCommand<P> command) {
    return new DedupedCommand<>(command, processed, outbox, cache, barrier, transactions);
  }
}
