package io.neurograph.graph.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.kafka.EventMessage;
import io.neurograph.contracts.tokens.TokenId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutboxRecordTest {

  private static final String SOURCE = "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17";
  private static final String TARGET = "8a2b4c6d-1e3f-4a5b-9c7d-0e1f2a3b4c5d";
  private static final String CONNECTION = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f";

  @Test
  void anOutboxRowBecomesACloudEventsBinaryRecordKeyedBySourceWithTheEdgeAsSubject() {
    String value = connectedEvent();
    var row = new OutboxRelay.OutboxRow(7, UUID.fromString("0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b"), "events",
        SOURCE, CONNECTION, "graph.connected", value, "00-trace", Instant.parse("2025-11-26T10:00:00.120Z"));

    ProducerRecord<String, byte[]> record = OutboxRelay.record(row);

    assertThat(record.topic()).isEqualTo("events");
    assertThat(record.key()).isEqualTo(SOURCE);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(value);
    Map<String, String> headers = new HashMap<>();
    record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ce_id", "0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b",
        "ce_type", "graph.connected",
        "ce_source", "neurograph/graph-service",
        "ce_specversion", "1.0",
        "ce_time", "2025-11-26T10:00:00.120Z",
        "ce_subject", CONNECTION,
        "content-type", "application/json",
        "traceparent", "00-trace"));
  }

  @Test
  void publishingInvalidatesBothEndsOfEveryEdge() {
    var connected = new OutboxRelay.OutboxRow(1, UUID.randomUUID(), "events", SOURCE, CONNECTION, "graph.connected",
        connectedEvent(), null, Instant.now());
    var foreign = new OutboxRelay.OutboxRow(2, UUID.randomUUID(), "events", "not-a-token", "x", "other", "not json",
        null, Instant.now());

    assertThat(OutboxRelay.endTokens(List.of(connected, foreign)))
        .containsExactly(TokenId.of(SOURCE), TokenId.of(TARGET));
  }

  private static String connectedEvent() {
    Edge edge = Json.convert(Json.parse(GoldenSamples.server("graph.connected")).get("payload"), Edge.class);
    return Json.write(new EventMessage("0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b", "graph.connected", 1,
        edge.createdAt(), OutboxWriter.SOURCE, CONNECTION, "msg-connect-1", Json.tree(edge)));
  }
}
