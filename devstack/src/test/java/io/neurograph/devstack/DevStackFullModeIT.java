package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.devstack.fake.FakeServiceJars;
import io.neurograph.devstack.support.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full mode, with stand-in service jars ({@code FakeService}) instead of the real ones: the services get
 * the infrastructure's environment, start in order, and stop in reverse order while the servers still run.
 */
class DevStackFullModeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path work;

  @Test
  void runsTheServicesAndStopsEverythingInReverseOrderOnCtrlC() throws Exception {
    Path jars = FakeServiceJars.create(work.resolve("jars"), List.of("token-service", "graph-service", "gateway"));
    Path events = work.resolve("events.txt");
    Path logs = work.resolve("logs");
    int gateway = Ports.free();
    int tokenService = Ports.free();
    int graphService = Ports.free();
    int kafka = Ports.free();

    try (DevStackProcess devstack = DevStackProcess.start(work,
        Map.of("NEUROGRAPH_SERVICE_JARS", jars.toString(), "FAKE_EVENTS_FILE", events.toString()),
        "--gateway-port", String.valueOf(gateway), "--token-service-port", String.valueOf(tokenService),
        "--graph-service-port", String.valueOf(graphService),
        "--kafka-port", String.valueOf(kafka), "--logs-dir", logs.toString())) {
      devstack.awaitLine(l -> l.contains("Press Ctrl-C"));

      assertThat(String.join("\n", devstack.stdout())).contains(
          "127.0.0.1:" + kafka,
          "http://localhost:" + tokenService,
          "http://localhost:" + graphService,
          "http://localhost:" + gateway,
          "ws://localhost:" + gateway + "/ws",
          "http://localhost:" + gateway + "/",
          logs.resolve("gateway.log").toString());
      String gatewayEnv = get("http://127.0.0.1:" + gateway + "/env");
      assertThat(gatewayEnv)
          .contains("SERVER_PORT=" + gateway, "SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + kafka,
              "SPRING_R2DBC_USERNAME=postgres", "SPRING_DATA_REDIS_HOST=127.0.0.1")
          .containsPattern("SPRING_R2DBC_URL=r2dbc:postgresql://127\\.0\\.0\\.1:\\d+/neurograph");
      assertThat(get("http://127.0.0.1:" + tokenService + "/env")).contains("SERVER_PORT=" + tokenService)
          .contains(gatewayEnv.lines().filter(l -> l.startsWith("SPRING_R2DBC_URL")).findFirst().orElseThrow());
      String log = devstack.stderr();
      assertThat(log.indexOf("token-service is ready")).as("token-service is ready before gateway starts")
          .isNotNegative().isLessThan(log.indexOf("Started gateway"));
      assertThat(log.indexOf("graph-service is ready")).as("graph-service is ready before gateway starts")
          .isNotNegative().isLessThan(log.indexOf("Started gateway"));
      assertThat(get("http://127.0.0.1:" + graphService + "/env")).contains("SERVER_PORT=" + graphService);

      devstack.interrupt();
      assertThat(devstack.awaitExit(Duration.ofSeconds(120))).isZero();
    }

    assertThat(Files.readAllLines(events)).containsExactly(
        "gateway stopped kafka=up postgres=up redis=up",
        "graph-service stopped kafka=up postgres=up redis=up",
        "token-service stopped kafka=up postgres=up redis=up");
    assertThat(Ports.isListening("127.0.0.1", gateway)).isFalse();
    assertThat(Ports.isListening("127.0.0.1", graphService)).isFalse();
    assertThat(Ports.isListening("127.0.0.1", tokenService)).isFalse();
    assertThat(Ports.isListening("127.0.0.1", kafka)).isFalse();
    assertThat(logs.resolve("gateway.log")).content().contains("fake gateway stopping gracefully");
    assertThat(logs.resolve("token-service.log")).content().contains("fake token-service stopping gracefully");
  }

  @Test
  void startsSeveralInstancesOfEachServiceOnTheirOwnPortsAndStopsThemAll() throws Exception {
    Path jars = FakeServiceJars.create(work.resolve("jars"), List.of("token-service", "graph-service", "gateway"));
    Path events = work.resolve("events.txt");
    Path logs = work.resolve("logs");
    int gateway = freeWithNeighbour(1);
    int tokenService = freeWithNeighbour(10);
    int graphService = freeWithNeighbour(10);
    List<Integer> all = List.of(gateway, gateway + 1, tokenService, tokenService + 10, graphService,
        graphService + 10);

    try (DevStackProcess devstack = DevStackProcess.start(work,
        Map.of("NEUROGRAPH_SERVICE_JARS", jars.toString(), "FAKE_EVENTS_FILE", events.toString()),
        "--gateways", "2", "--token-services=2", "--graph-services", "2",
        "--gateway-port", String.valueOf(gateway), "--token-service-port", String.valueOf(tokenService),
        "--graph-service-port", String.valueOf(graphService),
        "--kafka-port", String.valueOf(Ports.free()), "--logs-dir", logs.toString())) {
      devstack.awaitLine(l -> l.contains("Press Ctrl-C"));

      String table = String.join("\n", devstack.stdout());
      for (int port : all) {
        assertThat(table).contains("http://localhost:" + port);
      }
      assertThat(table).contains("ws://localhost:" + gateway + "/ws", "ws://localhost:" + (gateway + 1) + "/ws",
          logs.resolve("gateway-1.log").toString(), logs.resolve("gateway-2.log").toString(),
          logs.resolve("token-service-2.log").toString(), logs.resolve("graph-service-2.log").toString());
      String firstId = instanceId(get("http://127.0.0.1:" + gateway + "/env"));
      String secondId = instanceId(get("http://127.0.0.1:" + (gateway + 1) + "/env"));
      assertThat(firstId).startsWith("gateway-1-");
      assertThat(secondId).startsWith("gateway-2-");
      assertThat(table).contains("instance id " + firstId, "instance id " + secondId);
      assertThat(get("http://127.0.0.1:" + (tokenService + 10) + "/env")).contains("SERVER_PORT=" + (tokenService + 10));

      devstack.interrupt();
      assertThat(devstack.awaitExit(Duration.ofSeconds(180))).isZero();
    }

    // Reverse start order: the second gateway first, the first token-service last.
    assertThat(Files.readAllLines(events)).hasSize(6).allMatch(l -> l.endsWith("kafka=up postgres=up redis=up"))
        .extracting(l -> l.substring(0, l.indexOf(" stopped")))
        .containsExactly("gateway", "gateway", "graph-service", "graph-service", "token-service", "token-service");
    for (int port : all) {
      assertThat(Ports.isListening("127.0.0.1", port)).as("port " + port).isFalse();
    }
    assertThat(logs.resolve("gateway-2.log")).content().contains("fake gateway stopping gracefully");
    assertThat(logs.resolve("token-service-1.log")).content().contains("fake token-service stopping gracefully");
  }

  /** A free port whose neighbour {@code step} up is free too, for a second instance. */
  private static int freeWithNeighbour(int step) {
    while (true) {
      int port = Ports.free();
      if (port + step <= 65_535 && Ports.isFree(port + step)) {
        return port;
      }
    }
  }

  private static String instanceId(String env) {
    return env.lines().filter(l -> l.startsWith("NEUROGRAPH_GATEWAY_INSTANCE_ID="))
        .map(l -> l.substring(l.indexOf('=') + 1)).findFirst().orElseThrow();
  }

  @Test
  void aServiceThatDiesAtStartStopsEverythingAndShowsTheEndOfItsLog() throws Exception {
    Path jars = FakeServiceJars.create(work.resolve("jars"), List.of("token-service", "graph-service", "gateway"));
    Path events = work.resolve("events.txt");
    int tokenService = Ports.free();
    int kafka = Ports.free();

    try (DevStackProcess devstack = DevStackProcess.start(work,
        Map.of("NEUROGRAPH_SERVICE_JARS", jars.toString(), "FAKE_EVENTS_FILE", events.toString(),
            "FAKE_FAIL", "gateway"),
        "--gateway-port", String.valueOf(Ports.free()), "--token-service-port", String.valueOf(tokenService),
        "--graph-service-port", String.valueOf(Ports.free()),
        "--kafka-port", String.valueOf(kafka), "--logs-dir", work.resolve("logs").toString())) {
      assertThat(devstack.awaitExit(DevStackProcess.START_TIMEOUT)).isEqualTo(1);

      List<String> stderr = devstack.stderr().lines().toList();
      assertThat(stderr).contains("devstack: gateway exited with code 3 before it was ready",
          "fake gateway boot line 60", "fake gateway FAILED ON PURPOSE");
      assertThat(stderr).as("only the end of the log").doesNotContain("fake gateway boot line 20");
      assertThat(devstack.stdout()).noneMatch(l -> l.contains("Press Ctrl-C"));
    }
    assertThat(Files.readAllLines(events)).containsExactly(
        "graph-service stopped kafka=up postgres=up redis=up",
        "token-service stopped kafka=up postgres=up redis=up");
    assertThat(Ports.isListening("127.0.0.1", tokenService)).isFalse();
    assertThat(Ports.isListening("127.0.0.1", kafka)).isFalse();
  }

  @Test
  void aMissingServiceJarFailsBeforeAnythingStarts() throws Exception {
    Path empty = Files.createDirectories(work.resolve("no-jars"));
    try (DevStackProcess devstack = DevStackProcess.start(work, Map.of("NEUROGRAPH_SERVICE_JARS", empty.toString()),
        "--logs-dir", work.resolve("logs").toString())) {
      assertThat(devstack.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(devstack.stderr()).contains("no executable jar for token-service",
          empty.resolve("token-service.jar") + " (missing)").doesNotContain("Kafka broker");
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
