package io.neurograph.tokens.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenDelete;
import io.neurograph.contracts.tokens.TokenDeleted;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.tokens.outbox.PendingEvent;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import reactor.core.publisher.Mono;

/** {@code token.delete}: removes the token; an unknown id is {@code NOT_FOUND}. */
final class DeleteToken implements TokenCommand<TokenDelete> {

  private final TokenStore store;

  DeleteToken(TokenStore store) {
    this.store = store;
  }

  @Override
  public RequestType<TokenDelete> type() {
    return TokenMessages.DELETE;
  }

  @Override
  public Mono<CommandOutcome> decide(TokenDelete delete, Request request) {
    TokenDeleted deleted = new TokenDeleted(delete.tokenId());
    return store.delete(delete.tokenId())
        .map(at -> CommandOutcome.changed(
            Reply.of(ServerTypes.TOKEN_DELETED, deleted),
            new PendingEvent(ServerTypes.TOKEN_DELETED, delete.tokenId(), deleted, at)))
        .switchIfEmpty(Mono.fromSupplier(() -> CommandOutcome.refused(Reply.error(
            ErrorCode.NOT_FOUND, "Token " + delete.tokenId() + " not found", request.command().requestId()))));
  }
}
