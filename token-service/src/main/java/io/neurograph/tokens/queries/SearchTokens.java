package io.neurograph.tokens.queries;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.tokens.TokenSearch;
import io.neurograph.contracts.tokens.TokenSearchResult;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code token.search}: full tokens inside a box of one semantic space. Not cached: arbitrary boxes
 * rarely repeat, and every change would invalidate them anyway.
 */
@Component
class SearchTokens implements RequestHandler<TokenSearch> {

  private final TokenStore store;

  SearchTokens(TokenStore store) {
    this.store = store;
  }

  @Override
  public RequestType<TokenSearch> type() {
    return TokenMessages.SEARCH;
  }

  @Override
  public Mono<Reply> handle(TokenSearch search, Request request) {
    return store.search(search.level(), search.min(), search.max(), search.limit())
        .map(tokens -> Reply.of(ServerTypes.TOKEN_SEARCH, new TokenSearchResult(tokens, tokens.size())));
  }
}
