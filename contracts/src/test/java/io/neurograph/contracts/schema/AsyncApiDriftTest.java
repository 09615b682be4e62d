package io.neurograph.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.ServerMessageType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The served AsyncAPI document (read from the classpath, as the gateway serves it) names every message type
 * of the registry, every Kafka topic of {@link Topics} and every header of {@link KafkaHeaderNames}, and
 * nothing else; it is self-contained; and its schemas are the published JSON Schema files.
 */
class AsyncApiDriftTest {

  private static JsonNode doc;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = AsyncApiDriftTest.class.getResourceAsStream("/neurograph/asyncapi.yaml")) {
      doc = YAMLMapper.builder().build().readTree(in);
    }
  }

  @Test
  void isAsyncApi3() {
    assertThat(doc.get("asyncapi").stringValue()).isEqualTo("3.0.0");
  }

  @Test
  void theWebSocketChannelCarriesExactlyTheRegistrysMessages() {
    Set<String> client = new HashSet<>();
    Set<String> server = new HashSet<>();
    for (JsonNode ref : doc.get("channels").get(AsyncApiDocument.WEBSOCKET).get("messages")) {
      JsonNode schema = follow(follow(ref).get("payload"));
      String type = schema.get("allOf").get(1).get("properties").get("type").get("const").stringValue();
      String envelope = schema.get("allOf").get(0).get("$ref").stringValue();
      (envelope.endsWith("/ClientEnvelope") ? client : server).add(type);
    }
    assertThat(client).isEqualTo(MessageRegistry.requests().stream().map(RequestType::name)
        .collect(Collectors.toSet()));
    assertThat(server).isEqualTo(MessageRegistry.serverMessages().stream().map(ServerMessageType::name)
        .collect(Collectors.toSet()));
  }

  @Test
  void everyWebSocketMessageHasItsOperation() {
    Set<String> received = new HashSet<>();
    Set<String> sent = new HashSet<>();
    for (JsonNode operation : doc.get("operations")) {
      if (!operation.get("channel").get("$ref").stringValue().equals("#/channels/" + AsyncApiDocument.WEBSOCKET)) {
        continue;
      }
      for (JsonNode message : operation.get("messages")) {
        String name = follow(message).get("name").stringValue();
        (operation.get("action").stringValue().equals("receive") ? received : sent).add(name);
      }
    }
    assertThat(received).isEqualTo(MessageRegistry.requests().stream().map(RequestType::name)
        .collect(Collectors.toSet()));
    assertThat(sent).isEqualTo(MessageRegistry.serverMessages().stream().map(ServerMessageType::name)
        .collect(Collectors.toSet()));
  }

  @Test
  void theKafkaChannelsAreExactlyTheTopicsAndTheirDeadLetterTopics() throws Exception {
    Topics topics = Topics.defaults();
    Set<String> declared = new HashSet<>();
    for (Method method : Topics.class.getDeclaredMethods()) {
      if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
          && method.getParameterCount() == 0 && method.getReturnType() == String.class
          && !method.getName().equals("prefix") && !method.getName().equals("toString")) {
        declared.add((String) method.invoke(topics));
      }
    }
    assertThat(declared).hasSize(6);
    Set<String> addresses = new HashSet<>();
    for (JsonNode channel : doc.get("channels")) {
      String address = channel.get("address").stringValue();
      if (!address.equals("/ws")) {
        addresses.add(address);
        assertThat(channel.get("bindings").get("kafka").get("topic").stringValue()).isEqualTo(address);
      }
    }
    assertThat(addresses).containsAll(declared);
    for (String address : addresses) {
      assertThat(declared.contains(address)
          || (address.endsWith(Topics.DLT_SUFFIX)
              && declared.contains(address.substring(0, address.length() - Topics.DLT_SUFFIX.length()))))
          .as("%s is a topic of Topics or its dead-letter topic", address).isTrue();
    }
  }

  @Test
  void theKafkaHeadersAreExactlyKafkaHeaderNames() throws Exception {
    Set<String> names = new HashSet<>();
    for (var field : KafkaHeaderNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
          && !field.getName().endsWith("_VALUE")) {
        names.add((String) field.get(null));
      }
    }
    Set<String> documented = new HashSet<>();
    for (JsonNode message : doc.get("components").get("messages")) {
      JsonNode headers = message.get("headers");
      if (headers != null) {
        documented.addAll(headers.get("properties").propertyNames());
        headers.get("required").forEach(r -> assertThat(headers.get("properties").has(r.stringValue())).isTrue());
      }
    }
    assertThat(documented).isEqualTo(names);
    JsonNode event = doc.get("components").get("messages").get("kafka.event.tokens").get("headers");
    assertThat(event.get("properties").get(KafkaHeaderNames.CE_SPEC_VERSION).get("const").stringValue())
        .isEqualTo(KafkaHeaderNames.CE_SPEC_VERSION_VALUE);
  }

  @Test
  void everyReferenceResolvesInsideTheDocument() {
    List<String> refs = Stream.of(doc).flatMap(AsyncApiDriftTest::refs).toList();
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  @Test
  void theEmbeddedSchemasAreThePublishedSchemaFiles() throws IOException {
    Path schemas = Path.of("src/main/resources/neurograph/schemas");
    JsonNode components = doc.get("components").get("schemas");
    int compared = 0;
    try (Stream<Path> files = Files.walk(schemas)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String path = schemas.relativize(file).toString().replace('\\', '/').replaceFirst("\\.json$", "");
        ObjectNode published = (ObjectNode) Schemas.document(path).deepCopy();
        String title = published.get("title").stringValue();
        JsonNode defs = published.remove("$defs");
        published.remove(List.of("$schema", "title"));
        assertThat(published).as(path).isEqualTo(withComponentRefs(components.get(title)));
        if (defs != null) {
          for (String name : defs.propertyNames()) {
            assertThat(defs.get(name)).as(path + " $defs " + name).isEqualTo(withComponentRefs(components.get(name)));
          }
        }
        compared++;
      }
    }
    assertThat(compared).isEqualTo(MessageRegistry.requests().size() + MessageRegistry.serverMessages().size() + 7);
  }

  private static JsonNode withComponentRefs(JsonNode schema) {
    String text = schema.toString().replace("\"#/components/schemas/", "\"#/$defs/");
    return Json.parse(text);
  }

  private static Stream<String> refs(JsonNode node) {
    Stream<String> own = node.has("$ref") ? Stream.of(node.get("$ref").stringValue()) : Stream.empty();
    Stream<String> children = node.isContainer()
        ? node.valueStream().flatMap(AsyncApiDriftTest::refs) : Stream.empty();
    return Stream.concat(own, children);
  }

  /** The node a reference points to, through chains of references. */
  private static JsonNode follow(JsonNode ref) {
    JsonNode node = ref;
    while (node.has("$ref")) {
      node = doc.at(node.get("$ref").stringValue().substring(1));
    }
    return node;
  }

}
