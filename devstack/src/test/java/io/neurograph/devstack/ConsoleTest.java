package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.devstack.Console.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

  @Test
  void exportLinesAreReadyToPaste() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    env.put("SPRING_R2DBC_URL", "r2dbc:postgresql://127.0.0.1:5433/neurograph");
    env.put("SPRING_DATA_REDIS_PASSWORD", "it's secret");

    console.exports(env, "before", "after");

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "",
        "# before",
        "export SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092",
        "export SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:5433/neurograph",
        "export SPRING_DATA_REDIS_PASSWORD='it'\\''s secret'",
        "# after");
  }

  @Test
  void tableAlignsColumns() {
    console.table("Up:", List.of(new Row("Kafka", "127.0.0.1:9092", "embedded"),
        new Row("WebSocket", "ws://localhost:8000/ws", "")), "Bye.");

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "",
        "Up:",
        "",
        "  Kafka      127.0.0.1:9092          embedded",
        "  WebSocket  ws://localhost:8000/ws",
        "",
        "Bye.");
  }
}
