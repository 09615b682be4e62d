package io.neurograph.graph.projection;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.kafka.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;

/** Reading token event records: only the fields the projection needs, so unrelated changes never break it. */
final class TokenEvents {

  private TokenEvents() {}

  /**
   * The token event of a record. A record the projection cannot even place is poison: not a JSON
   * object, or without a {@code type}; for the projected types also without a UUID {@code event_id} or
   * without the token id (the {@code subject}, else {@code data.token_id}).
   *
   * @throws PoisonRecordException when the value is not such an event
   */
  static TokenEvent parse(ConsumerRecord<String, byte[]> record) {
    JsonNode value = tree(record.value());
    String type = text(value, "type");
    if (type == null || type.isBlank()) {
      throw new PoisonRecordException("token event has no type", null);
    }
    String traceparent = header(record, KafkaHeaderNames.TRACEPARENT);
    String correlationId = text(value, "correlation_id");
    if (!TokenEvent.projected(type)) {
      return new TokenEvent(record.topic(), record.partition(), record.offset(), null, type, null, correlationId,
          traceparent);
    }
    UUID eventId = uuid(text(value, "event_id"), "event_id");
    String subject = text(value, "subject");
    String tokenId = subject != null ? subject : text(value.path("data"), "token_id");
    return new TokenEvent(record.topic(), record.partition(), record.offset(), eventId, type,
        new TokenId(uuid(tokenId, "subject")), correlationId, traceparent);
  }

  private static JsonNode tree(byte[] value) {
    if (value == null) {
      throw new PoisonRecordException("record has no value", null);
    }
    JsonNode tree;
    try {
      tree = Json.parse(value);
    } catch (RuntimeException e) {
      throw new PoisonRecordException("record value is not JSON", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new PoisonRecordException("record value is not a JSON object", null);
    }
    return tree;
  }

  private static UUID uuid(String text, String field) {
    if (text == null) {
      throw new PoisonRecordException("token event has no " + field, null);
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new PoisonRecordException("token event " + field + " is not a UUID", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
