package io.neurograph.tokens.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenCreate;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.tokens.outbox.PendingEvent;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import io.neurograph.tokens.store.TokenValues;
import reactor.core.publisher.Mono;

/** {@code token.create}: inserts version 1; an id that already exists is a {@code CONFLICT}. */
final class CreateToken implements TokenCommand<TokenCreate> {

  private final TokenStore store;

  CreateToken(TokenStore store) {
    this.store = store;
  }

  @Override
  public RequestType<TokenCreate> type() {
    return TokenMessages.CREATE;
  }

  @Override
  public Mono<CommandOutcome> decide(TokenCreate create, Request request) {
    CommandMessage command = request.command();
    TokenId id = tokenId(create, command);
    TokenValues values = new TokenValues(
        create.type(), create.coordX(), create.coordY(), create.coordZ(), create.flags(), create.weight(),
        create.metadata());
    return store.insert(id, values, command.principal())
        .map(token -> CommandOutcome.changed(
            Reply.of(ServerTypes.TOKEN_CREATED, token),
            new PendingEvent(ServerTypes.TOKEN_CREATED, id, token, token.updatedAt())))
        .switchIfEmpty(Mono.fromSupplier(() -> CommandOutcome.refused(
            Reply.error(ErrorCode.CONFLICT, "Token " + id + " already exists", command.requestId()))));
  }

  /** The gateway fills token_id; a command without one gets the id derived from its command id. */
  static TokenId tokenId(TokenCreate create, CommandMessage command) {
    return create.tokenId() != null ? create.tokenId() : TokenId.derivedFrom(command.commandId());
  }
}
