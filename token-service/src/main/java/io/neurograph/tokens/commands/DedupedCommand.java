package io.neurograph.tokens.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.tokens.cache.TokenCache;
import io.neurograph.tokens.outbox.OutboxWriter;
import io.neurograph.tokens.requests.Reply;
import io.neurograph.tokens.requests.Request;
import io.neurograph.tokens.requests.RequestHandler;
import io.neurograph.tokens.store.ProcessedCommands;
import io.neurograph.tokens.store.StoredOutcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs a {@link TokenCommand} exactly once per command id. In one transaction: claim the command id in
 * {@code processed_commands} (a repeat instead gets the stored reply), decide, write the events to the
 * outbox, store the reply. After the commit: invalidate the cache, then wait until the relay published
 * the events, so the reply never overtakes its events. A failure before the commit leaves no trace, so
 * the record can simply be retried.
 */
final class DedupedCommand<P> implements RequestHandler<P> {

  private static final Logger log = LoggerFactory.getLogger(DedupedCommand.class);

  private final TokenCommand<P> command;
  private final ProcessedCommands processed;
  private final OutboxWriter outbox;
  private final TokenCache cache;
  private final TransactionalOperator transactions;

  DedupedCommand(
      TokenCommand<P> command,
      ProcessedCommands processed,
      OutboxWriter outbox,
      TokenCache cache,
      TransactionalOperator transactions) {
    this.command = command;
    this.processed = processed;
    this.outbox = outbox;
    this.cache = cache;
    this.transactions = transactions;
  }

  @Override
  public RequestType<P> type() {
    return command.type();
  }

  @Override
  public Mono<Reply> handle(P payload, Request request) {
    CommandMessage message = request.command();
    Mono<Result> once = processed.claim(message.commandId(), message.type())
        .flatMap(claimed -> claimed ? apply(payload, request) : replay(message));
    return transactions.transactional(once).flatMap(this::afterCommit);
  }

  private Mono<Result> apply(P payload, Request request) {
    CommandMessage message = request.command();
    return command.decide(payload, request)
        .flatMap(outcome -> outbox.append(outcome.events(), message.requestId(), request.traceparent())
            .flatMap(rowIds -> processed.complete(
                    message.commandId(), outcome.reply().type(), Json.write(outcome.reply().payload()))
                .thenReturn(rowIds))
            .map(rowIds -> new Result(outcome.reply(), outcome, rowIds)));
  }

  private Mono<Result> replay(CommandMessage message) {
    return processed.find(message.commandId())
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("claimed command id vanished")))
        .map(stored -> new Result(storedReply(stored, message), null, List.of()));
  }

  private static Reply storedReply(StoredOutcome stored, CommandMessage message) {
    if (!stored.commandType().equals(message.type())) {
      log.info("Command id {} was used for {} before, refusing {}", message.commandId(), stored.commandType(),
          message.type());
      return Reply.error(ErrorCode.CONFLICT, "request id already used for another command", message.requestId());
    }
    if (stored.replyType() == null || stored.reply() == null) {
      // Claim and reply are written in one transaction, so this means a broken row: retry, then dead-letter.
      throw new IllegalStateException("processed command without a stored reply");
    }
    log.debug("Command id {} already processed, replaying its {} reply", message.commandId(), stored.replyType());
    return new Reply(stored.replyType(), Json.parse(stored.reply()));
  }

  private Mono<Reply> afterCommit(Result result) {
    CommandOutcome outcome = result.fresh();
    if (outcome == null || outcome.events().isEmpty()) {
      return Mono.just(result.reply());
    }
    // Invalidate before the relay publishes: a client that sees the event and reads again gets fresh data.
    return cache.invalidate(outcome.touched())
        .then(outbox.published(result.outboxRows()))
        .thenReturn(result.reply());
  }

  /**
   * The reply, plus the outcome and its outbox rows when this delivery applied the command (null and
   * empty for a replay).
   */
  private record Result(Reply reply, CommandOutcome fresh, List<Long> outboxRows) {}
}
