package io.neurograph.tokens.queries;

import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenData;
import io.neurograph.contracts.tokens.TokenGet;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.tokens.TokenNotFound;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code token.get}: {@code token.data} (read through the cache) or {@code token.not_found}. */
@Component
class GetToken implements RequestHandler<TokenGet> {

  private final TokenStore store;
  private final TokenCache cache;

  GetToken(TokenStore store, TokenCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public RequestType<TokenGet> type() {
    return TokenMessages.GET;
  }

  @Override
  public Mono<Reply> handle(TokenGet get, Request request) {
    return cache.token(get.tokenId(), store.find(get.tokenId()))
        .map(token -> Reply.of(ServerTypes.TOKEN_DATA, TokenData.of(token)))
        .switchIfEmpty(Mono.fromSupplier(
            () -> Reply.of(ServerTypes.TOKEN_NOT_FOUND, new TokenNotFound(get.tokenId()))));
  }
}
