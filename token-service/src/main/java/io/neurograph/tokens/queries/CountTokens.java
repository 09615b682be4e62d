package io.neurograph.tokens.queries;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenCount;
import io.neurograph.contracts.tokens.TokenCountResult;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code token.count}: number of tokens, optionally of one type, read through the cache. */
@Component
class CountTokens implements RequestHandler<TokenCount> {

  private final TokenStore store;
  private final TokenCache cache;

  CountTokens(TokenStore store, TokenCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public RequestType<TokenCount> type() {
    return TokenMessages.COUNT;
  }

  @Override
  public Mono<Reply> handle(TokenCount count, Request request) {
    Mono<TokenCountResult> fromDatabase = store.count(count.type()).map(n -> new TokenCountResult(n, count.type()));
    return cache.count(count.type(), fromDatabase).map(result -> Reply.of(ServerTypes.TOKEN_COUNT, result));
  }
}
