package io.neurograph.contracts.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.graph.GraphNeighbors;
import io.neurograph.contracts.graph.GraphPath;
import io.neurograph.contracts.tokens.TokenId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphFramesTest {

  static final String A = "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17";
  static final String B = "8a2b4c6d-1e3f-4a5b-9c7d-0e1f2a3b4c5d";
  static final String A_UPPER = "3F1C2A9E-8B7D-4C6E-9A51-2D4B6F8E0C17";

  private static DecodedFrame.Rejected rejected(String type, String payload) {
    DecodedFrame decoded = ClientFrameDecoder.decode("{\"id\":\"g1\",\"type\":\"" + type + "\",\"payload\":" + payload + "}");
    assertThat(decoded).as(payload).isInstanceOf(DecodedFrame.Rejected.class);
    DecodedFrame.Rejected rejected = (DecodedFrame.Rejected) decoded;
    assertThat(rejected.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(rejected.originalMessageId()).isEqualTo("g1");
    return rejected;
  }

  private static DecodedFrame.Accepted accepted(String type, String payload) {
    DecodedFrame decoded = ClientFrameDecoder.decode("{\"type\":\"" + type + "\",\"payload\":" + payload + "}");
    assertThat(decoded).as(payload).isInstanceOf(DecodedFrame.Accepted.class);
    return (DecodedFrame.Accepted) decoded;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"target_id\":\"" + B + "\"}|source_id",
    "{\"source_id\":\"" + A + "\"}|target_id",
    "{\"source_id\":\"nope\",\"target_id\":\"" + B + "\"}|source_id",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"weight\":1.01}|weight",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"weight\":-0.1}|weight",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"decay_rate\":-1}|decay_rate",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"bidirectional\":\"yes\"}|bidirectional",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"type\":\"\"}|type",
    "{\"source_id\":\"" + A + "\",\"target_id\":\"" + A_UPPER + "\"}|target_id"
  })
  void badConnectFieldsNameTheField(String payload, String field) {
    assertThat(rejected("graph.connect", payload).details()).extracting(FieldProblem::field).containsExactly(field);
  }

  @Test
  void connectDefaultsMatchTheProtocol() {
    GraphConnect connect = accepted("graph.connect", "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\"}")
        .value(GraphMessages.CONNECT);
    assertThat(connect).isEqualTo(new GraphConnect(TokenId.of(A), TokenId.of(B), "generic", 1.0, false, 0.0,
        connect.metadata()));
    assertThat(connect.metadata().isEmpty()).isTrue();
  }

  @Test
  void neighborsDirectionIsOneOfThreeAndDefaultsToBoth() {
    assertThat(rejected("graph.neighbors", "{\"token_id\":\"" + A + "\",\"direction\":\"up\"}").details())
        .extracting(FieldProblem::field).containsExactly("direction");
    assertThat(accepted("graph.neighbors", "{\"token_id\":\"" + A + "\"}").value(GraphMessages.NEIGHBORS))
        .isEqualTo(new GraphNeighbors(TokenId.of(A), Direction.BOTH, null, 100));
    assertThat(accepted("graph.neighbors", "{\"token_id\":\"" + A + "\",\"direction\":\"incoming\",\"type\":\"k\"}")
        .value(GraphMessages.NEIGHBORS).direction()).isEqualTo(Direction.INCOMING);
  }

  @ParameterizedTest
  @CsvSource({"0", "11", "-1", "5.5"})
  void pathDepthIsOneToTen(String depth) {
    assertThat(rejected("graph.path", "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\",\"max_depth\":"
        + depth + "}").details()).extracting(FieldProblem::field).containsExactly("max_depth");
  }

  @Test
  void pathDefaults() {
    assertThat(accepted("graph.path", "{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\"}")
        .value(GraphMessages.PATH)).isEqualTo(new GraphPath(TokenId.of(A), TokenId.of(B), 5, 10));
  }

  @Test
  void disconnectNeedsAConnectionUuid() {
    assertThat(rejected("graph.disconnect", "{}").details())
        .containsExactly(new FieldProblem("connection_id", "is required"));
    assertThat(rejected("graph.disconnect", "{\"connection_id\":\"x\"}").details())
        .containsExactly(new FieldProblem("connection_id", "must be a UUID string"));
  }
}
