package io.neurograph.graph.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.graph.GraphNeighbors;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

class RequestDispatcherTest {

  private static final String A = "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17";
  private static final String B = "8a2b4c6d-1e3f-4a5b-9c7d-0e1f2a3b4c5d";

  private final List<Object> handled = new ArrayList<>();
  private final RequestDispatcher dispatcher = new RequestDispatcher(handlers(GraphMessages.REQUESTS));

  @Test
  void aValidPayloadReachesItsHandlerBoundAndNormalized() {
    Reply reply = dispatch("graph.neighbors", Json.parse("{\"token_id\":\"" + A + "\",\"extra\":true}"));

    assertThat(reply.type()).isEqualTo("handled graph.neighbors");
    assertThat(handled).containsExactly(new GraphNeighbors(TokenId.of(A), Direction.BOTH, null, 100));
  }

  @Test
  void theGoldenConnectBindsWithEveryField() {
    JsonNode payload = Json.parse(GoldenSamples.client("graph.connect")).get("payload");

    dispatch("graph.connect", payload);

    GraphConnect connect = (GraphConnect) handled.get(0);
    assertThat(connect.sourceId()).isEqualTo(TokenId.of(A));
    assertThat(connect.targetId()).isEqualTo(TokenId.of(B));
    assertThat(connect.type()).isEqualTo("association");
    assertThat(connect.weight()).isEqualTo(0.75);
    assertThat(connect.bidirectional()).isTrue();
    assertThat(connect.decayRate()).isEqualTo(0.01);
    assertThat(connect.metadata()).isEqualTo(Json.parse("{\"source\":\"golden\"}"));
  }

  @Test
  void aConnectGetsTheProtocolDefaults() {
    dispatch("graph.connect", Json.parse("{\"source_id\":\"" + A + "\",\"target_id\":\"" + B + "\"}"));

    assertThat(handled).containsExactly(
        new GraphConnect(TokenId.of(A), TokenId.of(B), "generic", 1.0, false, 0.0, Json.object()));
  }

  @Test
  void anInvalidPayloadIsRefusedWithEveryProblem() {
    ErrorPayload error = error(dispatch("graph.connect",
        Json.parse("{\"source_id\":\"nope\",\"weight\":1.5,\"decay_rate\":-1}")));

    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    assertThat(error.message()).isEqualTo("Invalid graph.connect payload");
    assertThat(error.originalMessageId()).isEqualTo("req-1");
    assertThat(error.details()).extracting(p -> p.field())
        .containsExactly("source_id", "target_id", "weight", "decay_rate");
    assertThat(handled).isEmpty();
  }

  @Test
  void aConnectOfATokenToItselfIsRefused() {
    ErrorPayload error = error(dispatch("graph.connect",
        Json.parse("{\"source_id\":\"" + A + "\",\"target_id\":\"" + A.toUpperCase() + "\"}")));

    assertThat(error.details()).extracting(p -> p.field()).containsExactly("target_id");
  }

  @Test
  void aMissingOrNonObjectPayloadIsRefused() {
    for (JsonNode payload : new JsonNode[] {null, Json.tree("text"), Json.parse("[]")}) {
      ErrorPayload error = error(dispatch("graph.stats", payload));
      assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
      assertThat(error.details()).extracting(p -> p.field()).containsExactly("payload");
    }
  }

  @Test
  void typesWithoutHandlerAreUnknown() {
    for (String type : new String[] {"graph.explode", "token.create", "ping", "subscribe"}) {
      ErrorPayload error = error(dispatch(type, Json.object()));
      assertThat(error.code().name()).isEqualTo("UNKNOWN_TYPE");
      assertThat(error.message()).isEqualTo("Unknown message type: " + type);
    }
  }

  @Test
  void everyGraphRequestTypeNeedsExactlyOneHandler() {
    assertThatThrownBy(() -> new RequestDispatcher(handlers(GraphMessages.REQUESTS.subList(1, 6))))
        .hasMessageContaining("graph.connect");
    List<RequestType<?>> twice = new ArrayList<>(GraphMessages.REQUESTS);
    twice.add(GraphMessages.STATS);
    assertThatThrownBy(() -> new RequestDispatcher(handlers(twice))).hasMessageContaining("graph.stats");
  }

  private Reply dispatch(String type, JsonNode payload) {
    var command = new CommandMessage("c/req-1", type, "req-1", "c", null, "gw", "rk", null, payload);
    return dispatcher.dispatch(new Request(command, null)).block(Duration.ofSeconds(5));
  }

  private static ErrorPayload error(Reply reply) {
    assertThat(reply.type()).isEqualTo("error");
    return Json.convert(reply.payload(), ErrorPayload.class);
  }

  private List<RequestHandler<?>> handlers(List<RequestType<?>> types) {
    List<RequestHandler<?>> handlers = new ArrayList<>();
    for (RequestType<?> type : types) {
      handlers.add(recording(type));
    }
    return handlers;
  }

  private <P> RequestHandler<P> recording(RequestType<P> type) {
    return new RequestHandler<>() {
      @Override
      public RequestType<P> type() {
        return type;
      }

      @Override
      public Mono<Reply> handle(P payload, Request request) {
        handled.add(payload);
        return Mono.just(Reply.of("handled " + type.name(), Json.object()));
      }
    };
  }
}
