package io.neurograph.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.codec.DecodedFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's validation ({@link ClientFrameDecoder}, the first thing the gateway does with a frame)
 * agrees with the published JSON Schema ({@code client-message.json}) on a corpus of client frames:
 * {@code rejected} frames are refused by both, {@code accepted} frames pass both. The few rules JSON
 * Schema cannot state ({@code gatewayOnly}: metadata size, NUL inside metadata, box order, distinct edge
 * ends, integer literals, ids counted in UTF-16) are refused by the gateway only, and each is written in the
 * schema's description; {@code schemaOnly} frames break the schema but are served anyway, as the schema
 * says (a malformed traceparent is not used, not refused).
 */
class ClientFramesAgreeWithSchemasTest {

  private static final String CORPUS = "/io/neurograph/contracts/schema/client-frames.json";
  private static final Pattern REPEAT = Pattern.compile("\\{\\{repeat (.) (\\d+)}}");

  static JsonNode corpus() {
    try (InputStream in = ClientFramesAgreeWithSchemasTest.class.getResourceAsStream(CORPUS)) {
      return Json.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Arguments> cases(String section) {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : corpus().get(section)) {
      cases.add(Arguments.of(c.get("name").stringValue(), expand(c.get("frame").stringValue()), c));
    }
    return cases.stream();
  }

  static Stream<Arguments> rejected() {
    return cases("rejected");
  }

  static Stream<Arguments> accepted() {
    return cases("accepted");
  }

  static Stream<Arguments> gatewayOnly() {
    return cases("gatewayOnly");
  }

  static Stream<Arguments> schemaOnly() {
    return cases("schemaOnly");
  }

  @Test
  void theCorpusIsLargeEnoughToMeanSomething() {
    JsonNode corpus = corpus();
    assertThat(corpus.get("rejected").size()).isGreaterThanOrEqualTo(25);
    assertThat(corpus.get("accepted").size()).isGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void bothRefuse(String name, String frame, JsonNode c) {
    DecodedFrame decoded = ClientFrameDecoder.decode(frame);
    assertThat(decoded).as("gateway").isInstanceOf(DecodedFrame.Rejected.class);
    assertThat(((DecodedFrame.Rejected) decoded).code().name()).isEqualTo(c.get("code").stringValue());
    assertThat(Schemas.errors("client-message", Json.parse(frame))).as("schema").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void bothAccept(String name, String frame, JsonNode c) {
    assertThat(ClientFrameDecoder.decode(frame)).as("gateway").isInstanceOf(DecodedFrame.Accepted.class);
    JsonNode tree = Json.parse(frame);
    assertThat(Schemas.errors("client-message", tree)).as("schema").isEmpty();
    assertThat(Schemas.errors("client/" + tree.get("type").stringValue(), tree)).as("schema of the type").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gatewayOnly")
  void onlyTheGatewayRefusesWhatTheSchemaCannotStateAndTheSchemaSaysSo(String name, String frame, JsonNode c) {
    DecodedFrame decoded = ClientFrameDecoder.decode(frame);
    assertThat(decoded).as("gateway").isInstanceOf(DecodedFrame.Rejected.class);
    JsonNode tree = Json.parse(frame);
    assertThat(Schemas.errors("client-message", tree)).as("schema accepts").isEmpty();
    String schema = Json.write(Schemas.document("client/" + tree.get("type").stringValue()));
    assertThat(schema).as("the schema documents the rule").contains(c.get("rule").stringValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaOnly")
  void onlyTheSchemaRefusesWhatTheGatewayToleratesAndTheSchemaSaysSo(String name, String frame, JsonNode c) {
    assertThat(ClientFrameDecoder.decode(frame)).as("gateway").isInstanceOf(DecodedFrame.Accepted.class);
    JsonNode tree = Json.parse(frame);
    assertThat(Schemas.errors("client-message", tree)).as("schema refuses").isNotEmpty();
    String schema = Json.write(Schemas.document("client/" + tree.get("type").stringValue()));
    assertThat(schema).as("the schema documents the tolerance").contains(c.get("reason").stringValue());
  }

  private static String expand(String frame) {
    Matcher m = REPEAT.matcher(frame);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
