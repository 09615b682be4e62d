package io.neurograph.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.validation.Field;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every golden sample validates against its schema, and each schema names exactly its record's fields. */
class GoldenSamplesMatchSchemasTest {

  static Stream<String> requests() {
    return MessageRegistry.requests().stream().map(RequestType::name);
  }

  static Stream<ServerMessageType<?>> serverMessages() {
    return MessageRegistry.serverMessages().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void clientGoldenSampleIsValid(String type) {
    JsonNode golden = Json.parse(GoldenSamples.client(type));
    assertThat(Schemas.errors("client/" + type, golden)).isEmpty();
    assertThat(Schemas.errors("client-message", golden)).isEmpty();
    assertThat(Schemas.errors("envelope/client", golden)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverMessages")
  void serverGoldenSampleIsValid(ServerMessageType<?> type) {
    JsonNode golden = Json.parse(GoldenSamples.server(type.name()));
    assertThat(Schemas.errors("server/" + type.name(), golden)).isEmpty();
    assertThat(Schemas.errors("server-message", golden)).isEmpty();
    assertThat(Schemas.errors("envelope/server", golden)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverMessages")
  void serverSchemaRejectsTheGoldenSampleWithAnotherTypeOrWithoutItsPayload(ServerMessageType<?> type) {
    ObjectNode golden = (ObjectNode) Json.parse(GoldenSamples.server(type.name()));
    ObjectNode renamed = golden.deepCopy().put("type", "no.such.type");
    assertThat(Schemas.errors("server/" + type.name(), renamed)).isNotEmpty();
    assertThat(Schemas.errors("server-message", renamed)).isNotEmpty();
    ObjectNode bare = golden.deepCopy();
    bare.remove("payload");
    assertThat(Schemas.errors("server/" + type.name(), bare)).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"command", "reply", "event"})
  void kafkaGoldenSampleIsValid(String kind) {
    assertThat(Schemas.errors("kafka/" + kind, Json.parse(GoldenSamples.kafka(kind)))).isEmpty();
  }

  @Test
  void kafkaSchemasCheckThePayloadOfTheirType() {
    ObjectNode event = (ObjectNode) Json.parse(GoldenSamples.kafka("event"));
    ((ObjectNode) event.get("data")).remove("token_id");
    assertThat(Schemas.errors("kafka/event", event)).isNotEmpty();
    ObjectNode reply = (ObjectNode) Json.parse(GoldenSamples.kafka("reply"));
    ((ObjectNode) reply.get("payload")).put("weight", -1);
    assertThat(Schemas.errors("kafka/reply", reply)).isNotEmpty();
    ObjectNode command = (ObjectNode) Json.parse(GoldenSamples.kafka("command"));
    ((ObjectNode) command.get("payload")).put("type", "");
    assertThat(Schemas.errors("kafka/command", command)).isNotEmpty();
    command.put("type", "ping");
    assertThat(Schemas.errors("kafka/command", command)).as("ping never travels on Kafka").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverMessages")
  void serverPayloadSchemaNamesExactlyTheRecordsFields(ServerMessageType<?> type) {
    if (!type.payloadType().isRecord()) {
      return; // operator messages: any object
    }
    JsonNode schema = Schemas.document("server/" + type.name());
    JsonNode payload = resolve(schema, schema.get("allOf").get(1).get("properties").get("payload"));
    Set<String> declared = new HashSet<>(payload.get("properties").propertyNames());
    Set<String> fields = new HashSet<>(Arrays.stream(type.payloadType().getRecordComponents())
        .map(RecordComponent::getName)
        .map(name -> name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT))
        .toList());
    assertThat(declared).isEqualTo(fields);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void requestPayloadSchemaNamesExactlyTheSpecsFields(String type) {
    JsonNode schema = Schemas.document("client/" + type);
    JsonNode payload = resolve(schema, schema.get("allOf").get(1).get("properties").get("payload"));
    assertThat(new HashSet<>(payload.get("properties").propertyNames()))
        .isEqualTo(new HashSet<>(MessageRegistry.request(type).orElseThrow().spec().fields().stream()
            .map(Field::name).toList()));
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    String ref = node.get("$ref").stringValue();
    return root.get("$defs").get(ref.substring("#/$defs/".length()));
  }
}
