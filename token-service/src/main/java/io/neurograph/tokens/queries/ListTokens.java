package io.neurograph.tokens.queries;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenList;
import io.neurograph.contracts.tokens.TokenListResult;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.tokens.TokenSummary;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code token.list}: a page in (created_at, token_id) order plus the total, read through the cache. */
@Component
class ListTokens implements RequestHandler<TokenList> {

  private final TokenStore store;
  private final TokenCache cache;

  ListTokens(TokenStore store, TokenCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public RequestType<TokenList> type() {
    return TokenMessages.LIST;
  }

  @Override
  public Mono<Reply> handle(TokenList list, Request request) {
    Mono<TokenListResult> fromDatabase = Mono.zip(
            store.page(list.type(), list.limit(), list.offset()), store.count(list.type()))
        .map(pageAndTotal -> {
          var summaries = pageAndTotal.getT1().stream().map(TokenSummary::of).toList();
          return new TokenListResult(summaries, summaries.size(), list.offset(), pageAndTotal.getT2());
        });
    return cache.listPage(list.type(), list.limit(), list.offset(), fromDatabase)
        .map(result -> Reply.of(ServerTypes.TOKEN_LIST, result));
  }
}
