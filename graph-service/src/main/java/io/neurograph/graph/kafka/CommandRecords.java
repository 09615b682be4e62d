package io.neurograph.graph.kafka;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading command records. */
final class CommandRecords {

  private CommandRecords() {}

  /**
   * The command message of a record value. Without the fields needed to answer (command_id, type,
   * request_id, reply_to, reply_key) a record cannot even be refused, so it is poison.
   *
   * @throws PoisonRecordException when the value is not such a command message
   */
  static CommandMessage parse(byte[] value) {
    if (value == null) {
      throw new PoisonRecordException("record has no value", null);
    }
    CommandMessage command;
    try {
      command = Json.read(value, CommandMessage.class);
    } catch (RuntimeException e) {
      throw new PoisonRecordException("record value is not a command message", e);
    }
    if (command == null || blank(command.commandId()) || blank(command.type()) || blank(command.requestId())
        || blank(command.replyTo()) || blank(command.replyKey())) {
      throw new PoisonRecordException("command message lacks command_id, type, request_id, reply_to or reply_key",
          null);
    }
    return command;
  }

  /** The value of a text header, or {@code null}. */
  static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The record's W3C trace context, or {@code null}. */
  static String traceparent(ConsumerRecord<?, ?> record) {
    return header(record, KafkaHeaderNames.TRACEPARENT);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
