package io.neurograph.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.ServerMessageType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class GoldenRoundTripTest {

  static Stream<RequestType<?>> requests() {
    return MessageRegistry.requests().stream();
  }

  static Stream<ServerMessageType<?>> serverMessages() {
    return MessageRegistry.serverMessages().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void everyClientRequestDecodesAndReencodesToItsGoldenPayload(RequestType<?> type) {
    String golden = GoldenSamples.client(type.name());
    JsonNode goldenTree = Json.parse(golden);

    DecodedFrame frame = ClientFrameDecoder.decode(golden);

    assertThat(frame).isInstanceOf(DecodedFrame.Accepted.class);
    DecodedFrame.Accepted accepted = (DecodedFrame.Accepted) frame;
    assertThat(accepted.type()).isSameAs(type);
    assertThat(accepted.id()).isEqualTo(goldenTree.get("id").stringValue());
    assertThat(accepted.value()).isInstanceOf(type.payloadType());
    assertThat(reparsed(accepted.value())).isEqualTo(goldenTree.get("payload"));
    assertThat(reparsed(accepted.payload())).isEqualTo(goldenTree.get("payload"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverMessages")
  void everyServerMessageBindsToItsRecordAndBack(ServerMessageType<?> type) {
    String golden = GoldenSamples.server(type.name());
    JsonNode goldenTree = Json.parse(golden);

    Envelope envelope = Json.read(golden, Envelope.class);
    Object payload = Json.convert(envelope.payload(), type.payloadType());

    assertThat(envelope.type()).isEqualTo(type.name());
    assertThat(reparsed(payload)).isEqualTo(goldenTree.get("payload"));
    assertThat(reparsed(envelope)).isEqualTo(goldenTree);
    assertThat(goldenTree.has("sender_id")).as("sender_id is always present").isTrue();
  }

  /** Text round trip, so an int and a long holding 3 compare equal, as they do on the wire. */
  private static JsonNode reparsed(Object value) {
    return Json.parse(Json.write(value));
  }

  @Test
  void kafkaRecordsRoundTrip() {
    for (var kind : new Object[][] {
      {"command", CommandMessage.class}, {"reply", ReplyMessage.class}, {"event", EventMessage.class}
    }) {
      String golden = GoldenSamples.kafka((String) kind[0]);
      Object value = Json.read(golden, (Class<?>) kind[1]);
      assertThat(reparsed(value)).as((String) kind[0]).isEqualTo(Json.parse(golden));
    }
  }

  @Test
  void replyPayloadOfAKafkaReplyIsTheClientPayloadOfItsType() {
    ReplyMessage reply = Json.read(GoldenSamples.kafka("reply"), ReplyMessage.class);
    JsonNode created = Json.parse(GoldenSamples.server("token.created")).get("payload");
    assertThat(reply.payload()).isEqualTo(created);
    EventMessage event = Json.read(GoldenSamples.kafka("event"), EventMessage.class);
    assertThat(event.data()).isEqualTo(created);
  }
}
