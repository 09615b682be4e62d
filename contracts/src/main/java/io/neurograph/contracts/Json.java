package io.neurograph.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper every module uses for anything that crosses a wire (WebSocket frames, Kafka values). */
public final class Json {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .changeDefaultPropertyInclusion(
              incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
          // Old clients send fields we do not know; they are ignored, never an error.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          // One frame is one JSON value; anything after it means the frame is not what it claims.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A duplicated key is ambiguous input: reject it instead of guessing which one wins.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}

  /** The shared, thread-safe mapper (snake_case, nulls omitted unless a field says otherwise). */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** Serializes a value to compact JSON text. */
  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  /** Serializes a value to UTF-8 JSON bytes. */
  public static byte[] writeBytes(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }

  /** Converts a value (record, map, node) to a JSON tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Binds a JSON tree to a type. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    return MAPPER.treeToValue(node, type);
  }

  /** Parses JSON text to a tree; throws {@link tools.jackson.core.JacksonException} on bad input. */
  public static JsonNode parse(String text) {
    return MAPPER.readTree(text);
  }

  /** Parses UTF-8 JSON bytes to a tree. */
  public static JsonNode parse(byte[] bytes) {
    return MAPPER.readTree(bytes);
  }

  /** Reads JSON bytes as a type. */
  public static <T> T read(byte[] bytes, Class<T> type) {
    return MAPPER.readValue(bytes, type);
  }

  /** Reads JSON text as a type. */
  public static <T> T read(String text, Class<T> type) {
    return MAPPER.readValue(text, type);
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
