package io.neurograph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario at tiny scale against a real devstack (Kafka, PostgreSQL, Redis and the three service jars),
 * with the gateway under BlockHound. Checks that each produces sane results, never how fast anything was.
 */
class BenchSmokeIT {

  private static final Pattern KAFKA = Pattern.compile("^\\s+Kafka\\s+(\\S+)");
  private static final Pattern POSTGRES = Pattern.compile("^\\s+PostgreSQL\\s+(jdbc:\\S+)");

  private static Process devstack;
  private static String kafka;
  private static String postgres;
  private static int gatewayPort;

  @BeforeAll
  static void startDevstack() throws Exception {
    List<Integer> ports = freePorts(4);
    gatewayPort = ports.get(0);
    Path logs = Files.createDirectories(Path.of("target", "bench-smoke", "logs"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("devstack.jar"),
        "--gateway-port", String.valueOf(gatewayPort), "--token-service-port", String.valueOf(ports.get(1)),
        "--graph-service-port", String.valueOf(ports.get(2)), "--kafka-port", String.valueOf(ports.get(3)),
        "--logs-dir", logs.toAbsolutePath().toString())
        .redirectError(logs.resolve("devstack.err").toFile());
    builder.environment().put("NEUROGRAPH_BLOCKHOUND", "true");
    builder.environment().put("JDK_JAVA_OPTIONS", "-XX:+AllowRedefinitionToAddDeleteMethods");
    devstack = builder.start();
    CompletableFuture<Void> up = CompletableFuture.runAsync(() -> readTable(devstack));
    // Generous: on a shared 2-core machine under load the three services alone have taken over 4 minutes to start.
    up.get(600, TimeUnit.SECONDS);
    assertThat(kafka).isNotNull();
    assertThat(postgres).isNotNull();
  }

  private static void readTable(Process process) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Matcher k = KAFKA.matcher(line);
        Matcher p = POSTGRES.matcher(line);
        if (k.find()) {
          kafka = k.group(1);
        } else if (p.find()) {
          postgres = p.group(1);
        } else if (line.startsWith("Press Ctrl-C")) {
          return;
        }
      }
      throw new IllegalStateException("devstack ended before it was up; see target/bench-smoke/logs");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stopDevstack() throws InterruptedException {
    if (devstack != null) {
      devstack.destroy();
      if (!devstack.waitFor(90, TimeUnit.SECONDS)) {
        devstack.destroyForcibly();
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyScenarioProducesSaneResults(@TempDir Path results) throws Exception {
    Map<String, Object> result = Bench.run("all", "--ws", "ws://localhost:" + gatewayPort + "/ws", "--kafka", kafka,
        "--postgres", postgres, "--rates", "5", "--compare-rate", "5", "--prewarm", "2s", "--warmup", "1s",
        "--duration", "3s",
        "--subscribers", "10", "--fanout-report", "10", "--fanout-max-rate", "5", "--probes", "3",
        "--idle-connections", "50", "--soak-duration", "6s", "--soak-rate", "5", "--soak-interval", "2s",
        "--results", results.toString());

    assertThat(results.resolve("latest.json")).isRegularFile();
    assertThat(results.resolve("latest.html")).content().contains("<svg");
    assertThat(Files.readString(results.resolve("latest.json"))).contains("\"ratio\"", "\"p999_ms\"");
    assertThat((Map<String, Object>) result.get("roundtrip")).containsOnlyKeys("rate", "p50_ms", "p99_ms", "p999_ms");
    assertThat((Map<String, Object>) result.get("floor")).containsOnlyKeys("p50_ms", "p99_ms");
    assertThat((Map<String, Object>) result.get("ratio")).containsOnlyKeys("p50", "p99");
    assertThat((Map<String, Object>) result.get("fanout")).containsOnlyKeys("subscribers", "delivered_per_s",
        "delivered_per_s_per_core", "age_p50_ms", "age_p99_ms");
    assertThat((Map<String, Object>) result.get("idle")).containsOnlyKeys("connections", "heap_bytes_per_connection",
        "rss_bytes_per_connection");

    Map<String, Object> roundtrip = ((List<Map<String, Object>>) result.get("roundtrip_by_rate")).get(0);
    assertThat((Long) roundtrip.get("count")).isPositive();
    assertThat(roundtrip.get("errors")).isEqualTo(0L);
    assertThat((Double) roundtrip.get("p50_ms")).isPositive();

    Map<String, Object> floor = (Map<String, Object>) result.get("floor_detail");
    assertThat((Long) floor.get("count")).isPositive();
    assertThat(floor.get("errors")).isEqualTo(0L);
    assertThat((Double) ((Map<String, Object>) result.get("ratio")).get("p50")).isPositive();

    Map<String, Object> fanout = ((List<Map<String, Object>>) result.get("fanout_by_subscribers")).get(0);
    assertThat((Long) fanout.get("delivered_per_s")).isPositive();
    assertThat((Long) fanout.get("age_samples")).isPositive();
    assertThat(fanout.get("failed_to_subscribe")).isEqualTo(0L);
    assertThat((Map<Integer, Long>) fanout.get("closed_subscribers")).isEmpty();
    assertThat(((Map<String, Object>) fanout.get("commands")).get("errors")).isEqualTo(0L);
    assertThat(fanout.get("gateway_age_p99_ms_at_most")).as("the gateway's own event-age histogram was read")
        .isInstanceOf(Number.class);

    Map<String, Object> idle = (Map<String, Object>) result.get("idle_detail");
    assertThat(idle.get("connections")).isEqualTo(50L);
    assertThat((Long) idle.get("heap_after_bytes")).isPositive();

    Map<String, Object> soak = (Map<String, Object>) result.get("soak");
    assertThat(soak.get("errors")).isEqualTo(0L);
    assertThat((List<Object>) soak.get("intervals")).isNotEmpty();
    assertThat(soak).containsKeys("heap_slope_bytes_per_min", "heap_slope_second_half_bytes_per_min",
        "heap_growth_top_classes_bytes");

    Map<String, Object> blockHound = (Map<String, Object>) result.get("blockhound");
    assertThat(blockHound.get("enabled")).isEqualTo(true);
    assertThat(blockHound.get("violations")).isInstanceOf(Long.class);
    assertThat((Map<String, Object>) result.get("machine")).containsKeys("cores", "jdk", "load_average_start");
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
