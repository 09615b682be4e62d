package io.neurograph.tokens.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.contracts.tokens.TokenList;
import io.neurograph.contracts.tokens.TokenMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

class RequestDispatcherTest {

  private final List<Object> handled = new ArrayList<>();
  private final RequestDispatcher dispatcher = new RequestDispatcher(handlers(TokenMessages.REQUESTS));

  @Test
  void aValidPayloadReachesItsHandlerBoundAndNormalized() {
    Reply reply = dispatch("token.list", Json.parse("{\"type\":\"demo\",\"extra\":true}"));

    assertThat(reply.type()).isEqualTo("handled token.list");
    assertThat(handled).containsExactly(new TokenList(10, 0, "demo"));
  }

  @Test
  void anInvalidPayloadIsRefusedWithEveryProblem() {
    ErrorPayload error = error(dispatch("token.list", Json.parse("{\"limit\":0,\"offset\":-1}")));

    assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
    assertThat(error.message()).isEqualTo("Invalid token.list payload");
    assertThat(error.originalMessageId()).isEqualTo("req-1");
    assertThat(error.details()).extracting(p -> p.field()).containsExactly("limit", "offset");
    assertThat(handled).isEmpty();
  }

  @Test
  void aMissingOrNonObjectPayloadIsRefused() {
    for (JsonNode payload : new JsonNode[] {null, Json.tree("text"), Json.parse("[]")}) {
      ErrorPayload error = error(dispatch("token.count", payload));
      assertThat(error.code().name()).isEqualTo("VALIDATION_FAILED");
      assertThat(error.details()).extracting(p -> p.field()).containsExactly("payload");
    }
  }

  @Test
  void typesWithoutHandlerAreUnknown() {
    for (String type : new String[] {"token.explode", "ping", "subscribe"}) {
      ErrorPayload error = error(dispatch(type, Json.object()));
      assertThat(error.code().name()).isEqualTo("UNKNOWN_TYPE");
      assertThat(error.message()).isEqualTo("Unknown message type: " + type);
    }
  }

  @Test
  void everyTokenRequestTypeNeedsExactlyOneHandler() {
    assertThatThrownBy(() -> new RequestDispatcher(handlers(TokenMessages.REQUESTS.subList(1, 7))))
        .hasMessageContaining("token.create");
    List<RequestType<?>> twice = new ArrayList<>(TokenMessages.REQUESTS);
    twice.add(TokenMessages.GET);
    assertThatThrownBy(() -> new RequestDispatcher(handlers(twice))).hasMessageContaining("token.get");
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
