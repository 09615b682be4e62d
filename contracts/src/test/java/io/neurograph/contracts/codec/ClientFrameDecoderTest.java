package io.neurograph.contracts.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.tokens.TokenCreate;
import io.neurograph.contracts.tokens.TokenList;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.tokens.Vector8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFrameDecoderTest {

  private static DecodedFrame.Rejected rejected(String frame) {
    DecodedFrame decoded = ClientFrameDecoder.decode(frame);
    assertThat(decoded).as(frame).isInstanceOf(DecodedFrame.Rejected.class);
    return (DecodedFrame.Rejected) decoded;
  }

  private static String create(String payloadFields) {
    return "{\"id\":\"r1\",\"type\":\"token.create\",\"payload\":{" + payloadFields + "}}";
  }

  @Test
  void traceparentIsCarriedAsGivenAndAnyOtherTypeIsIgnored() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    DecodedFrame traced = ClientFrameDecoder.decode(
        "{\"id\":\"p1\",\"type\":\"ping\",\"payload\":{},\"traceparent\":\"" + traceparent + "\"}");
    assertThat(traced).isInstanceOfSatisfying(DecodedFrame.Accepted.class,
        accepted -> assertThat(accepted.traceparent()).isEqualTo(traceparent));
    DecodedFrame refused = ClientFrameDecoder.decode(
        "{\"id\":\"p1\",\"type\":\"nope\",\"payload\":{},\"traceparent\":\"" + traceparent + "\"}");
    assertThat(refused).isInstanceOfSatisfying(DecodedFrame.Rejected.class,
        rejected -> assertThat(rejected.traceparent()).isEqualTo(traceparent));
    // Not a W3C value, or not a string: still accepted (a new trace starts), never an error.
    for (String value : new String[] {"\"garbage\"", "42", "{}", "null"}) {
      DecodedFrame frame = ClientFrameDecoder.decode(
          "{\"id\":\"p1\",\"type\":\"ping\",\"payload\":{},\"traceparent\":" + value + "}");
      assertThat(frame).as(value).isInstanceOf(DecodedFrame.Accepted.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"type\":", "{'type':'ping'}", "", "{\"a\":1,\"a\":2}", "{\"type\":\"ping\",\"payload\":{}} trailing", "   "})
  void textThatIsNotJsonIsInvalidJson(String frame) {
    assertThat(rejected(frame).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "[1,2]", "\"ping\"", "42", "null",
    "{\"payload\":{}}",
    "{\"type\":\"ping\"}",
    "{\"type\":7,\"payload\":{}}",
    "{\"type\":\"\",\"payload\":{}}",
    "{\"type\":\"ping\",\"payload\":[]}",
    "{\"type\":\"ping\",\"payload\":\"x\"}",
    "{\"id\":5,\"type\":\"ping\",\"payload\":{}}",
    "{\"id\":\"\",\"type\":\"ping\",\"payload\":{}}",
    "{\"type\":\"ping\",\"payload\":{},\"timestamp\":\"yesterday\"}"
  })
  void malformedEnvelopesAreInvalidEnvelope(String frame) {
    assertThat(rejected(frame).code()).isEqualTo(ErrorCode.INVALID_ENVELOPE);
  }

  @Test
  void envelopeErrorsKeepTheStringIdWhenThereIsOne() {
    var r = rejected("{\"id\":\"abc\",\"type\":\"ping\"}");
    assertThat(r.originalMessageId()).isEqualTo("abc");
    assertThat(r.toError().details()).isNull();
  }

  @Test
  void unknownTypeIsUnknownType() {
    var r = rejected("{\"id\":\"x1\",\"type\":\"token.explode\",\"payload\":{}}");
    assertThat(r.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    assertThat(r.originalMessageId()).isEqualTo("x1");
    // a server-only type is not something a client may send
    assertThat(rejected("{\"type\":\"token.created\",\"payload\":{}}").code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "\"coord_x\":[1,2,3]|coord_x",
    "\"coord_x\":[0,0,0,0,0,0,0,0,0]|coord_x",
    "\"coord_y\":[0,0,0,0,0,0,0,\"a\"]|coord_y",
    "\"coord_z\":[0,0,0,0,0,0,0,1e999]|coord_z",
    "\"coord_z\":{}|coord_z",
    "\"weight\":-0.5|weight",
    "\"weight\":1e999|weight",
    "\"weight\":\"1\"|weight",
    "\"type\":\"\"|type",
    "\"type\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"|type",
    "\"type\":5|type",
    "\"flags\":-1|flags",
    "\"flags\":1.5|flags",
    "\"metadata\":[1]|metadata",
    "\"metadata\":\"x\"|metadata",
    "\"token_id\":\"not-a-uuid\"|token_id"
  })
  void badTokenFieldsAreValidationFailedNamingTheField(String fields, String field) {
    var r = rejected(create(fields));
    assertThat(r.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(r.originalMessageId()).isEqualTo("r1");
    assertThat(r.details()).extracting(FieldProblem::field).containsExactly(field);
  }

  @Test
  void anIntegerBeyondTheDoubleRangeIsNotAFiniteNumber() {
    String huge = "9".repeat(400);
    assertThat(rejected(create("\"weight\":" + huge)).details())
        .extracting(FieldProblem::field).containsExactly("weight");
    assertThat(rejected(create("\"coord_x\":[" + huge + ",0,0,0,0,0,0,0]")).details())
        .extracting(FieldProblem::field).containsExactly("coord_x");
  }

  @Test
  void theNulCharacterIsRefusedInStringsAndMetadata() {
    assertThat(rejected(create("\"type\":\"a\\u0000b\"")).details())
        .containsExactly(new FieldProblem("type", "must not contain the NUL character"));
    assertThat(rejected(create("\"metadata\":{\"k\\u0000\":\"v\"}")).details())
        .containsExactly(new FieldProblem("metadata", "must not contain the NUL character"));
    assertThat(rejected(create("\"metadata\":{\"k\":[\"\\u0000\"]}")).details()).hasSize(1);
  }

  @Test
  void metadataOver16KiBIsRejected() {
    String big = "x".repeat(TokenMessages.MAX_METADATA_BYTES);
    var r = rejected(create("\"metadata\":{\"blob\":\"" + big + "\"}"));
    assertThat(r.details()).containsExactly(new FieldProblem("metadata", "must be at most 16384 bytes as JSON"));
    DecodedFrame ok = ClientFrameDecoder.decode(create("\"metadata\":{\"blob\":\"" + big.substring(20) + "\"}"));
    assertThat(ok).isInstanceOf(DecodedFrame.Accepted.class);
  }

  @Test
  void fiftyCharacterTypeIsFineAndLengthCountsCodePoints() {
    assertThat(ClientFrameDecoder.decode(create("\"type\":\"" + "y".repeat(50) + "\"")))
        .isInstanceOf(DecodedFrame.Accepted.class);
    assertThat(ClientFrameDecoder.decode(create("\"type\":\"" + "😀".repeat(50) + "\"")))
        .isInstanceOf(DecodedFrame.Accepted.class);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    var r = rejected(create("\"weight\":-1,\"flags\":-1,\"coord_x\":[]"));
    assertThat(r.details()).extracting(FieldProblem::field).containsExactlyInAnyOrder("weight", "flags", "coord_x");
  }

  @Test
  void createDefaultsMatchTheProtocol() {
    var accepted = (DecodedFrame.Accepted) ClientFrameDecoder.decode("{\"type\":\"token.create\",\"payload\":{}}");
    TokenCreate create = accepted.value(TokenMessages.CREATE);
    assertThat(create.tokenId()).isNull();
    assertThat(create.type()).isEqualTo("default");
    assertThat(create.coordX()).isEqualTo(Vector8.ZERO);
    assertThat(create.coordZ()).isEqualTo(Vector8.ZERO);
    assertThat(create.flags()).isZero();
    assertThat(create.weight()).isEqualTo(1.0);
    assertThat(create.metadata().isEmpty()).isTrue();
    assertThat(accepted.clientAssignedId()).isFalse();
    assertThat(accepted.id()).isNotBlank();
  }

  @Test
  void unknownPayloadFieldsAreIgnoredAndDropped() {
    var accepted = (DecodedFrame.Accepted) ClientFrameDecoder.decode(
        "{\"type\":\"token.get\",\"sender_id\":\"me\",\"extra\":1,"
            + "\"payload\":{\"token_id\":\"3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17\",\"junk\":true}}");
    assertThat(accepted.payload().has("junk")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "\"limit\":0|limit", "\"limit\":101|limit", "\"limit\":\"10\"|limit", "\"offset\":-1|offset"
  })
  void listBoundsAreEnforced(String fields, String field) {
    var r = rejected("{\"type\":\"token.list\",\"payload\":{" + fields + "}}");
    assertThat(r.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(r.details()).extracting(FieldProblem::field).containsExactly(field);
  }

  @Test
  void listDefaults() {
    var accepted = (DecodedFrame.Accepted) ClientFrameDecoder.decode("{\"type\":\"token.list\",\"payload\":{}}");
    assertThat(accepted.value(TokenMessages.LIST)).isEqualTo(new TokenList(10, 0, null));
  }

  @Test
  void tokenIdMustBeAUuid() {
    var r = rejected("{\"type\":\"token.get\",\"payload\":{\"token_id\":\"123\"}}");
    assertThat(r.details()).containsExactly(new FieldProblem("token_id", "must be a UUID string"));
    var missing = rejected("{\"type\":\"token.delete\",\"payload\":{}}");
    assertThat(missing.details()).containsExactly(new FieldProblem("token_id", "is required"));
  }

  @Test
  void subscribeWithoutTopicIsValidationFailed() {
    var r = rejected("{\"type\":\"subscribe\",\"payload\":{}}");
    assertThat(r.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(r.details()).containsExactly(new FieldProblem("topic", "is required"));
    assertThat(rejected("{\"type\":\"unsubscribe\",\"payload\":{\"topic\":\"\"}}").code())
        .isEqualTo(ErrorCode.VALIDATION_FAILED);
  }

  @Test
  void updateMustChangeSomething() {
    var r = rejected("{\"type\":\"token.update\",\"payload\":{\"token_id\":\"3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17\"}}");
    assertThat(r.details()).extracting(FieldProblem::field).containsExactly("payload");
  }

  @Test
  void searchBoxMustBeOrderedAndLevelInRange() {
    var r = rejected("{\"type\":\"token.search\",\"payload\":{\"level\":8,\"min\":{\"x\":0,\"y\":0,\"z\":0},"
        + "\"max\":{\"x\":1,\"y\":1}}}");
    assertThat(r.details()).extracting(FieldProblem::field).containsExactlyInAnyOrder("level", "max.z");
    var unordered = rejected("{\"type\":\"token.search\",\"payload\":{\"level\":0,\"min\":{\"x\":2,\"y\":0,\"z\":0},"
        + "\"max\":{\"x\":1,\"y\":1,\"z\":1}}}");
    assertThat(unordered.details()).extracting(FieldProblem::field).containsExactly("min.x");
  }
}
