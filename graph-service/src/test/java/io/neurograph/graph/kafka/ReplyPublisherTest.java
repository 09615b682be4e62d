package io.neurograph.graph.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.graph.requests.Reply;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ReplyPublisherTest {

  @Test
  void theReplyToTheGoldenCommandIsTheGoldenReply() {
    CommandMessage command = Json.read(GoldenSamples.kafka("command"), CommandMessage.class);
    var golden = Json.parse(GoldenSamples.kafka("reply"));
    Reply reply = new Reply(golden.get("type").stringValue(), golden.get("payload"));

    ProducerRecord<String, byte[]> record = ReplyPublisher.record("replies", command, reply, "00-trace");

    assertThat(record.topic()).isEqualTo("replies");
    assertThat(record.key()).as("the asking gateway instance").isEqualTo("gw-7f3a");
    assertThat(record.partition()).as("the default partitioner places it by key").isNull();
    assertThat(Json.parse(record.value())).isEqualTo(golden);
    assertThat(header(record, KafkaHeaderNames.MESSAGE_TYPE)).isEqualTo("token.created");
    assertThat(header(record, KafkaHeaderNames.REQUEST_ID)).isEqualTo("msg-create-1");
    assertThat(header(record, KafkaHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(header(record, KafkaHeaderNames.TRACEPARENT)).isEqualTo("00-trace");
  }

  @Test
  void aGraphReplyCarriesTheGoldenServerPayload() {
    CommandMessage command = Json.read(GoldenSamples.kafka("command"), CommandMessage.class);
    var golden = Json.parse(GoldenSamples.server("graph.connected"));
    Reply reply = new Reply("graph.connected", golden.get("payload"));

    ReplyMessage value = Json.read(ReplyPublisher.record("replies", command, reply, null).value(), ReplyMessage.class);

    assertThat(value.type()).isEqualTo("graph.connected");
    assertThat(value.replyKey()).isEqualTo(command.replyKey());
    assertThat(value.requestId()).isEqualTo(command.requestId());
    assertThat(value.commandId()).isEqualTo(command.commandId());
    assertThat(value.payload()).isEqualTo(golden.get("payload"));
  }

  @Test
  void noTraceparentNoHeader() {
    CommandMessage command = Json.read(GoldenSamples.kafka("command"), CommandMessage.class);

    var record = ReplyPublisher.record("replies", command, Reply.of("graph.stats", Json.object()), null);

    assertThat(record.headers().lastHeader(KafkaHeaderNames.TRACEPARENT)).isNull();
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
