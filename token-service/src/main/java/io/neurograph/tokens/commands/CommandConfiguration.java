package io.neurograph.tokens.commands;

import io.neurograph.contracts.tokens.TokenCreate;
import io.neurograph.contracts.tokens.TokenDelete;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.outbox.OutboxWriter;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.store.ProcessedCommands;
import io.neurograph.tokens.store.TokenStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

/** One deduplicated, transactional handler per state-changing request type. */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

  private final ProcessedCommands processed;
  private final OutboxWriter outbox;
  private final TokenCache cache;
  private final TransactionalOperator transactions;

  CommandConfiguration(
      ProcessedCommands processed, OutboxWriter outbox, TokenCache cache, TransactionalOperator transactions) {
    this.processed = processed;
    this.outbox = outbox;
    this.cache = cache;
    this.transactions = transactions;
  }

  @Bean
  RequestHandler<TokenCreate> createTokenHandler(TokenStore store) {
    return deduped(new CreateToken(store));
  }

  @Bean
  RequestHandler<TokenUpdate> updateTokenHandler(TokenStore store) {
    return deduped(new UpdateToken(store));
  }

  @Bean
  RequestHandler<TokenDelete> deleteTokenHandler(TokenStore store) {
    return deduped(new DeleteToken(store));
  }

  private <P> RequestHandler<P> deduped(TokenCommand<P> command) {
    return new DedupedCommand<>(command, processed, outbox, cache, transactions);
  }
}
