package io.neurograph.graph.kafka;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.graph.requests.Reply;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Gives up on a record: publishes it to the dead-letter topic and, when it was a parseable command, tells
 * the requester {@code error INTERNAL} with a generic message (details stay in this log and the DLT).
 */
final class FailedCommandRecoverer implements ConsumerRecordRecoverer {

  private static final Logger log = LoggerFactory.getLogger(FailedCommandRecoverer.class);

  private final DeadLetterPublishingRecoverer deadLetters;
  private final ReplyPublisher replies;

  FailedCommandRecoverer(DeadLetterPublishingRecoverer deadLetters, ReplyPublisher replies) {
    this.deadLetters = deadLetters;
    this.replies = replies;
  }

  @Override
  public void accept(ConsumerRecord<?, ?> record, Exception failure) {
    if (Failures.isPoison(failure)) {
      log.warn("Dead-lettering poison record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          Failures.poisonReason(failure));
    } else {
      log.error("Dead-lettering record {}-{}@{} after repeated failures", record.topic(), record.partition(),
          record.offset(), failure);
    }
    // Throws when the dead-letter topic does not take it; the error handler then tries again.
    deadLetters.accept(record, failure);
    if (!Failures.isPoison(failure) && record.value() instanceof byte[] value) {
      tellRequester(CommandRecords.parse(value), CommandRecords.traceparent(record));
    }
  }

  private void tellRequester(CommandMessage command, String traceparent) {
    Reply reply = Reply.error(ErrorCode.INTERNAL, "Internal error while processing " + command.type(),
        command.requestId());
    try {
      replies.send(command, reply, traceparent);
    } catch (RuntimeException e) {
      // Policy: the record is already dead-lettered; without a reply the gateway answers TIMEOUT.
      log.warn("Could not send the INTERNAL error reply for {}: {}", command.commandId(), e.toString());
    }
  }
}
