package io.neurograph.graph.commands;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.cache.GraphCache;
import io.neurograph.graph.outbox.OutboxWriter;
import io.neurograph.graph.projection.ProjectionBarrier;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestHandler;
import io.neurograph.graph.store.ProcessedCommands;
import io.neurograph.graph.store.StoredOutcome;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs a {@link GraphCommand} exactly once per command id. In one transaction: claim the command id in
 * {@code processed_commands} (a repeat instead gets the stored reply), decide, write the events to the
 * outbox, store the reply. After the commit: invalidate the cache, wake the outbox relay. A failure
 * before the commit leaves no trace, so the record can simply be retried.
 *
 * <p>A command that names tokens ({@link GraphCommand#catchUpFirst}) first waits, outside any transaction,
 * until the {@link ProjectionBarrier} says the projection applied every token event Kafka had acknowledged
 * for them; token-service replies only after its events are acknowledged, so the decision then sees every
 * creation and deletion its client was told about. If the projection does not catch up in time the
 * requester gets {@code error UNAVAILABLE}, which is not recorded: a retry with the same request id is
 * decided afresh.
 */
final class DedupedCommand<P> implements RequestHandler<P> {

  /** The message of the UNAVAILABLE reply when the projection did not catch up. */
  static final String CATCHING_UP = "token projection is catching up, retry";

  private static final Logger log = LoggerFactory.getLogger(DedupedCommand.class);

  private final GraphCommand<P> command;
  private final ProcessedCommands processed;
  private final OutboxWriter outbox;
  private final GraphCache cache;
  private final ProjectionBarrier barrier;
  private final TransactionalOperator transactions;

  DedupedCommand(
      GraphCommand<P> command,
      ProcessedCommands processed,
      OutboxWriter outbox,
      GraphCache cache,
      ProjectionBarrier barrier,
      TransactionalOperator transactions) {
    this.command = command;
    this.processed = processed;
    this.outbox = outbox;
    this.cache = cache;
    this.barrier = barrier;
    this.transactions = transactions;
  }

  @Override
  public RequestType<P> type() {
    return command.type();
  }

  @Override
  public Mono<Reply> handle(P payload, Request request) {
    Set<TokenId> catchUp = command.catchUpFirst(payload);
    if (catchUp.isEmpty()) {
      return attempt(payload, request).flatMap(this::afterCommit);
    }
    return barrier.awaitCaughtUp(catchUp).flatMap(caughtUp -> caughtUp
        ? attempt(payload, request).flatMap(this::afterCommit)
        : Mono.just(Reply.error(ErrorCode.UNAVAILABLE, CATCHING_UP, request.command().requestId())));
  }

  private Mono<Result> attempt(P payload, Request request) {
    CommandMessage message = request.command();
    Mono<Result> once = processed.claim(message.commandId(), message.type())
        .flatMap(claimed -> claimed ? apply(payload, request) : replay(message));
    return transactions.transactional(once);
  }

  private Mono<Result> apply(P payload, Request request) {
    CommandMessage message = request.command();
    return command.decide(payload, request).flatMap(outcome ->
        outbox.append(outcome.events(), message.requestId(), request.traceparent())
            .then(processed.complete(message.commandId(), outcome.reply().type(),
                Json.write(outcome.reply().payload())))
            .thenReturn(new Result(outcome.reply(), outcome)));
  }

  private Mono<Result> replay(CommandMessage message) {
    return processed.find(message.commandId())
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("claimed command id vanished")))
        .map(stored -> new Result(storedReply(stored, message), null));
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
    // Invalidate before waking the relay: a client that sees the event and reads again gets fresh data.
    return cache.invalidate(outcome.touched())
        .then(Mono.fromRunnable(outbox::committed))
        .thenReturn(result.reply());
  }

  /** The reply, plus the outcome when this delivery applied the command (null for a replay). */
  private record Result(Reply reply, CommandOutcome fresh) {}
}
