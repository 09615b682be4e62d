package io.neurograph.tokens.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutboxRecordTest {

  @Test
  void anOutboxRowBecomesACloudEventsBinaryRecordWithTheStoredBytes() {
    String value = GoldenSamples.kafka("event").strip();
    var row = new OutboxRelay.OutboxRow(7, UUID.fromString("0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b"), "events",
        "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17", "token.created", value, "00-trace",
        Instant.parse("2026-11-26T10:00:00.123456Z"));

    ProducerRecord<String, byte[]> record = OutboxRelay.record(row);

    assertThat(record.topic()).isEqualTo("events");
    assertThat(record.key()).isEqualTo("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(value);
    Map<String, String> headers = new HashMap<>();
    record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ce_id", "0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b",
        "ce_type", "token.created",
        "ce_source", "neurograph/token-service",
        "ce_specversion", "1.0",
        "ce_time", "2026-11-26T10:00:00.123456Z",
        "ce_subject", "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17",
        "content-type", "application/json",
        "traceparent", "00-trace"));
  }
}
