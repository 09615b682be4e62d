package io.neurograph.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line settings of one bench run; every value has a default that matches the full run. */
final class BenchOptions {

  /** In this order for {@code all}: the floor first, while nothing the round trip overloads is still busy. */
  static final List<String> ALL = List.of("floor", "roundtrip", "fanout", "idle", "soak");

  List<String> scenarios = new ArrayList<>();
  URI ws = URI.create("ws://localhost:8000/ws");
  String kafka = "127.0.0.1:9092";
  String postgres = "jdbc:postgresql://127.0.0.1:5432/neurograph";
  String postgresUser = "postgres";
  String postgresPassword = "postgres";
  long gatewayPid;
  Path gatewayLog;
  List<Integer> rates = List.of(20, 50, 100, 500, 1000);
  int compareRate = 500;
  List<Integer> floorRates;
  Duration drainTimeout = Duration.ofMinutes(8);
  Duration prewarm = Duration.ofSeconds(30);
  Duration warmup = Duration.ofSeconds(5);
  Duration duration = Duration.ofSeconds(30);
  int ratePerConnection = 40;
  List<Integer> subscribers = List.of(100, 1000, 5000);
  int fanoutReportSubscribers = 1000;
  int fanoutMaxRate = 20;
  int fanoutTargetDeliveries = 100_000;
  int probes = 50;
  int idleConnections = 10_000;
  int connectConcurrency = 200;
  Duration soakDuration = Duration.ofMinutes(10);
  int soakRate = 20;
  Duration soakInterval = Duration.ofMinutes(1);
  Path results = Path.of("bench", "results");
  Path jfr;

  static final String USAGE = """
      usage: java -jar neurograph-bench.jar <scenario...> [options]
        scenarios: roundtrip floor fanout idle soak | all
        --ws URI                  gateway WebSocket (ws://localhost:8000/ws)
        --kafka HOST:PORT         the devstack's broker (127.0.0.1:9092)
        --postgres JDBC_URL       the devstack's database (jdbc:postgresql://127.0.0.1:5432/neurograph)
        --postgres-user U, --postgres-password P   (postgres / postgres)
        --gateway-pid N           gateway JVM (default: the local gateway.jar whose SERVER_PORT is the --ws port)
        --gateway-log FILE        gateway log, for BlockHound violations (default: the gateway's stdout)
        --rates 20,50,100,500,1000  roundtrip rates per second; --compare-rate 500 (the top-level keys)
        --drain-timeout 8m        after a step with errors, wait until a probe command answers within 1 s
        --prewarm 30s             unmeasured commands at the lowest rate before the first roundtrip step (0s: none)
        --floor-rates LIST        floor rates (default: the roundtrip rates; ratio_by_rate pairs them)
        --warmup 5s --duration 30s   per step; warm-up is sent but not measured
        --rate-per-connection 40  commands/s per connection (the gateway limits 100 frames/s per connection)
        --subscribers 100,1000,5000  fanout steps; --fanout-report 1000 (the step in the top-level keys)
        --fanout-max-rate 20 --fanout-deliveries 100000  command rate per step = min(max-rate, deliveries/subscribers)
        --probes 50               subscribers that decode frames to measure event age (the rest only count)
        --idle-connections 10000  --connect-concurrency 200
        --soak-duration 10m --soak-rate 20 --soak-interval 1m
        --results DIR             where <timestamp>.json, latest.json and the charts go (bench/results)
        --jfr DIR                 record a JFR profile of the gateway during each scenario into DIR
      """;

  static BenchOptions parse(String... args) {
    BenchOptions o = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      if (arg.startsWith("--") && arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      } else if (arg.startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + arg);
        }
        value = args[++i];
      }
      switch (arg) {
        case "--ws" -> o.ws = URI.create(value);
        case "--kafka" -> o.kafka = value;
        case "--postgres" -> o.postgres = value;
        case "--postgres-user" -> o.postgresUser = value;
        case "--postgres-password" -> o.postgresPassword = value;
        case "--gateway-pid" -> o.gatewayPid = Long.parseLong(value);
        case "--gateway-log" -> o.gatewayLog = Path.of(value);
        case "--rates" -> o.rates = ints(value);
        case "--compare-rate" -> o.compareRate = Integer.parseInt(value);
        case "--floor-rates" -> o.floorRates = ints(value);
        case "--drain-timeout" -> o.drainTimeout = duration(value);
        case "--prewarm" -> o.prewarm = duration(value);
        case "--warmup" -> o.warmup = duration(value);
        case "--duration" -> o.duration = duration(value);
        case "--rate-per-connection" -> o.ratePerConnection = Integer.parseInt(value);
        case "--subscribers" -> o.subscribers = ints(value);
        case "--fanout-report" -> o.fanoutReportSubscribers = Integer.parseInt(value);
        case "--fanout-max-rate" -> o.fanoutMaxRate = Integer.parseInt(value);
        case "--fanout-deliveries" -> o.fanoutTargetDeliveries = Integer.parseInt(value);
        case "--probes" -> o.probes = Integer.parseInt(value);
        case "--idle-connections" -> o.idleConnections = Integer.parseInt(value);
        case "--connect-concurrency" -> o.connectConcurrency = Integer.parseInt(value);
        case "--soak-duration" -> o.soakDuration = duration(value);
        case "--soak-rate" -> o.soakRate = Integer.parseInt(value);
        case "--soak-interval" -> o.soakInterval = duration(value);
        case "--results" -> o.results = Path.of(value);
        case "--jfr" -> o.jfr = Path.of(value);
        case "all" -> o.scenarios.addAll(ALL);
        default -> {
          if (!ALL.contains(arg)) {
            throw new IllegalArgumentException("unknown scenario or option: " + arg);
          }
          o.scenarios.add(arg);
        }
      }
    }
    if (o.scenarios.isEmpty()) {
      throw new IllegalArgumentException("name at least one scenario");
    }
    return o;
  }

  /** 500ms, 30s, 10m, or plain seconds. */
  static Duration duration(String value) {
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    if (value.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(value));
  }

  private static List<Integer> ints(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
