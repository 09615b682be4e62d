package io.neurograph.tokens.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.tokens.outbox.PendingEvent;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.ServerTypes;
import io.neurograph.tokens.store.TokenStore;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** {@code token.update}: locks the token, checks {@code expected_version}, merges, bumps the version. */
final class UpdateToken implements TokenCommand<TokenUpdate> {

  private final TokenStore store;

  UpdateToken(TokenStore store) {
    this.store = store;
  }

  @Override
  public RequestType<TokenUpdate> type() {
    return TokenMessages.UPDATE;
  }

  @Override
  public Mono<CommandOutcome> decide(TokenUpdate update, Request request) {
    String requestId = request.command().requestId();
    return store.lock(update.tokenId())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(current -> {
          UpdateDecision decision = UpdateDecision.decide(current.orElse(null), update);
          if (decision instanceof UpdateDecision.Apply apply) {
            return store.update(update.tokenId(), apply.values()).map(UpdateToken::updated);
          }
          if (decision instanceof UpdateDecision.VersionConflict conflict) {
            return Mono.just(CommandOutcome.refused(Reply.error(ErrorCode.CONFLICT,
                "Token " + update.tokenId() + " is at version " + conflict.actual() + ", not "
                    + conflict.expected(),
                requestId)));
          }
          return Mono.just(CommandOutcome.refused(
              Reply.error(ErrorCode.NOT_FOUND, "Token " + update.tokenId() + " not found", requestId)));
        });
  }

  private static CommandOutcome updated(Token token) {
    return CommandOutcome.changed(
        Reply.of(ServerTypes.TOKEN_UPDATED, token),
        new PendingEvent(ServerTypes.TOKEN_UPDATED, token.tokenId(), token, token.updatedAt()));
  }
}
