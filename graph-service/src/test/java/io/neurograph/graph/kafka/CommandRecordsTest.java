package io.neurograph.graph.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.kafka.CommandMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandRecordsTest {

  @Test
  void theGoldenCommandParses() {
    CommandMessage command = CommandRecords.parse(bytes(GoldenSamples.kafka("command")));

    assertThat(command.commandId()).isEqualTo("my_client/msg-create-1");
    assertThat(command.type()).isEqualTo("token.create");
    assertThat(command.replyTo()).isEqualTo("gw-7f3a");
    assertThat(command.payload().get("token_id").stringValue()).isEqualTo("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
  }

  @Test
  void recordsThatCannotBeAnsweredArePoison() {
    for (String value : new String[] {
      "not json", "[]", "42", "{\"type\":\"graph.degree\"}",
      "{\"command_id\":\"c/1\",\"type\":\"graph.degree\",\"request_id\":\"1\",\"reply_key\":\"k\"}",
      "{\"command_id\":\"c/1\",\"type\":\"graph.degree\",\"request_id\":\"1\",\"reply_to\":\" \",\"reply_key\":\"k\"}",
      "{\"command_id\":\"c/1\",\"type\":\"graph.degree\",\"request_id\":\"1\",\"reply_to\":\"gw\",\"reply_key\":\"k\"} x"
    }) {
      assertThatThrownBy(() -> CommandRecords.parse(bytes(value))).as(value).isInstanceOf(PoisonRecordException.class);
    }
    assertThatThrownBy(() -> CommandRecords.parse(null)).isInstanceOf(PoisonRecordException.class);
  }

  @Test
  void aCommandWithABadPayloadIsNotPoison() {
    String value = "{\"command_id\":\"c/1\",\"type\":\"graph.nope\",\"request_id\":\"1\",\"reply_to\":\"gw\","
        + "\"reply_key\":\"k\",\"payload\":\"text\"}";

    assertThat(CommandRecords.parse(bytes(value)).payload().isString()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
