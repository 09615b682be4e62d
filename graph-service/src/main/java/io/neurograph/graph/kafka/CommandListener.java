package io.neurograph.graph.kafka;

import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.graph.requests.Reply;
import io.neurograph.graph.requests.Request;
import io.neurograph.graph.requests.RequestDispatcher;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;

/**
 * Handles one command record at a time per partition: parse, dispatch, send the reply, and only then
 * return so the container commits the offset. The listener blocks its consumer thread on the reactive
 * handler on purpose: per-partition order requires the next record of a key to wait for this one, and a
 * consumer thread is not an event loop. Any exception goes to the container's error handler.
 */
final class CommandListener implements MessageListener<String, byte[]> {

  private static final Logger log = LoggerFactory.getLogger(CommandListener.class);

  private final RequestDispatcher dispatcher;
  private final ReplyPublisher replies;
  private final Duration processingTimeout;

  CommandListener(RequestDispatcher dispatcher, ReplyPublisher replies, Duration processingTimeout) {
    this.dispatcher = dispatcher;
    this.replies = replies;
    this.processingTimeout = processingTimeout;
  }

  @Override
  public void onMessage(ConsumerRecord<String, byte[]> record) {
    CommandMessage command = CommandRecords.parse(record.value());
    String traceparent = CommandRecords.traceparent(record);
    Reply reply = dispatcher.dispatch(new Request(command, traceparent)).timeout(processingTimeout).block();
    if (reply == null) {
      throw new IllegalStateException("handler of " + command.type() + " completed without a reply");
    }
    replies.send(command, reply, traceparent);
    log.debug("{} {} -> {}", command.type(), command.commandId(), reply.type());
  }
}
