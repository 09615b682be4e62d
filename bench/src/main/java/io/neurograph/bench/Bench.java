package io.neurograph.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark harness: runs the named scenarios against a running devstack and writes
 * {@code <results>/<timestamp>.json}, {@code latest.json} and their charts ({@code .html}).
 */
public final class Bench {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private Bench() {}

  /** Command-line entry point; exit code 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    Map<String, Object> result = run(options);
    System.out.print(Json.write(result));
    System.exit(0);
  }

  /** Runs the scenarios of {@code args} (same syntax as the command line) and returns the written result. */
  public static Map<String, Object> run(String... args) throws Exception {
    return run(BenchOptions.parse(args));
  }

  static Map<String, Object> run(BenchOptions options) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Instant started = Instant.now();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Gateway gateway = Gateway.find(options.gatewayPid, options.gatewayLog, port(options));
    Map<String, Object> result = new LinkedHashMap<>();
    String loadStart = loadAverage();
    Object violationsBefore = gateway.blockHound().get("violations");
    Map<String, Object> detail = new LinkedHashMap<>();
    for (String scenario : options.scenarios) {
      log("scenario " + scenario);
      if (options.jfr != null) {
        Files.createDirectories(options.jfr);
        gateway.startRecording("bench-" + scenario, options.jfr.resolve("gateway-" + scenario + ".jfr"));
      }
      try {
        switch (scenario) {
          case "roundtrip" -> {
            if (!options.prewarm.isZero()) {
              detail.put("roundtrip_prewarm", prewarm(options, run));
            }
            List<Map<String, Object>> rates = new ArrayList<>();
            for (int rate : options.rates) {
              try (CommandLoad load = CommandLoad.open(options.ws, "bench-" + run + "-rt-" + rate, rate,
                  options.ratePerConnection)) {
                Map<String, Object> step = load.run(rate, options.warmup, options.duration, null, null);
                if (((Number) step.get("errors")).longValue() > 0) {
                  step.put("backlog_drain_s", CommandLoad.drain(options.ws, "bench-" + run + "-drain-" + rate,
                      options.drainTimeout));
                }
                log("  " + step);
                rates.add(step);
              }
            }
            detail.put("roundtrip_by_rate", rates);
          }
          case "floor" -> {
            List<Map<String, Object>> floors = new ArrayList<>();
            for (int rate : options.floorRates != null ? options.floorRates : options.rates) {
              Map<String, Object> floor = Floor.run(options, run, rate);
              log("  " + floor);
              floors.add(floor);
            }
            detail.put("floor_by_rate", floors);
            detail.put("floor_detail", closest(floors, "rate", options.compareRate));
          }
          case "fanout" -> {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (int subscribers : options.subscribers) {
              Map<String, Object> step = Fanout.run(options, run, gateway, subscribers);
              log("  " + step);
              steps.add(step);
            }
            detail.put("fanout_by_subscribers", steps);
          }
          case "idle" -> {
            Map<String, Object> idle = Idle.run(options, run, gateway);
            log("  " + idle);
            detail.put("idle_detail", idle);
          }
          case "soak" -> {
            Map<String, Object> soak = Soak.run(options, run, gateway);
            log("  " + soak);
            detail.put("soak", soak);
          }
          default -> throw new IllegalArgumentException(scenario);
        }
      } finally {
        if (options.jfr != null) {
          gateway.stopRecording("bench-" + scenario);
        }
      }
    }
    summarize(options, detail, result);
    result.putAll(detail);
    Map<String, Object> blockHound = gateway.blockHound();
    blockHound.put("violations_before_run", violationsBefore);
    if (blockHound.get("violations") instanceof Long after && violationsBefore instanceof Long before) {
      blockHound.put("violations_during_run", after - before);
    }
    result.put("blockhound", blockHound);
    result.put("machine", machine(gateway, loadStart));
    Map<String, Object> runInfo = new LinkedHashMap<>();
    runInfo.put("id", run);
    runInfo.put("started", started.toString());
    runInfo.put("finished", Instant.now().toString());
    runInfo.put("scenarios", options.scenarios);
    runInfo.put("ws", options.ws.toString());
    runInfo.put("warmup_s", options.warmup.toSeconds());
    runInfo.put("duration_s", options.duration.toSeconds());
    result.put("run", runInfo);
    write(options.results, STAMP.format(started), result);
    return result;
  }

  /**
   * Unmeasured commands at the lowest rate, then a drain: a freshly started service answers its first commands
   * far slower (JIT, pools), and without this the first step measures the start-up, not the rate.
   */
  private static Map<String, Object> prewarm(BenchOptions options, String run) {
    int rate = options.rates.stream().min(Integer::compare).orElse(20);
    try (CommandLoad load = CommandLoad.open(options.ws, "bench-" + run + "-prewarm", rate, options.ratePerConnection)) {
      Map<String, Object> warm = load.run(rate, options.prewarm, Duration.ZERO, null, null);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rate", rate);
      result.put("seconds", options.prewarm.toSeconds());
      result.put("replied", warm.get("replied"));
      result.put("errors", warm.get("errors"));
      result.put("drain_s", CommandLoad.drain(options.ws, "bench-" + run + "-prewarm-drain", options.drainTimeout));
      log("  prewarm " + result);
      return result;
    }
  }

  /** The fixed keys: the compare rate, the floor at that rate, their ratio, the reported fan-out step. */
  @SuppressWarnings("unchecked")
  private static void summarize(BenchOptions options, Map<String, Object> detail, Map<String, Object> result) {
    List<Map<String, Object>> rates = (List<Map<String, Object>>) detail.get("roundtrip_by_rate");
    Map<String, Object> compared = null;
    if (rates != null && !rates.isEmpty()) {
      compared = closest(rates, "rate", options.compareRate);
      result.put("roundtrip", pick(compared, "rate", "p50_ms", "p99_ms", "p999_ms"));
    }
    Map<String, Object> floor = (Map<String, Object>) detail.get("floor_detail");
    if (floor != null) {
      result.put("floor", pick(floor, "p50_ms", "p99_ms"));
    }
    if (compared != null && floor != null) {
      Map<String, Object> ratio = new LinkedHashMap<>();
      ratio.put("p50", ratio(compared.get("p50_ms"), floor.get("p50_ms")));
      ratio.put("p99", ratio(compared.get("p99_ms"), floor.get("p99_ms")));
      result.put("ratio", ratio);
    }
    List<Map<String, Object>> floors = (List<Map<String, Object>>) detail.get("floor_by_rate");
    if (rates != null && floors != null) {
      List<Map<String, Object>> ratios = new ArrayList<>();
      for (Map<String, Object> step : rates) {
        floors.stream().filter(f -> f.get("rate").equals(step.get("rate"))).findFirst().ifPresent(f -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("rate", step.get("rate"));
          row.put("p50", ratio(step.get("p50_ms"), f.get("p50_ms")));
          row.put("p99", ratio(step.get("p99_ms"), f.get("p99_ms")));
          row.put("roundtrip_errors", step.get("errors"));
          row.put("floor_errors", f.get("errors"));
          ratios.add(row);
        });
      }
      detail.put("ratio_by_rate", ratios);
    }
    List<Map<String, Object>> fanout = (List<Map<String, Object>>) detail.get("fanout_by_subscribers");
    if (fanout != null && !fanout.isEmpty()) {
      result.put("fanout", pick(closest(fanout, "subscribers", options.fanoutReportSubscribers), "subscribers",
          "delivered_per_s", "delivered_per_s_per_core", "age_p50_ms", "age_p99_ms"));
    }
    Map<String, Object> idle = (Map<String, Object>) detail.get("idle_detail");
    if (idle != null) {
      result.put("idle", pick(idle, "connections", "heap_bytes_per_connection", "rss_bytes_per_connection"));
    }
  }

  private static Map<String, Object> closest(List<Map<String, Object>> rows, String key, int wanted) {
    return rows.stream()
        .min(Comparator.comparingLong(r -> Math.abs(((Number) r.get(key)).longValue() - wanted)))
        .orElseThrow();
  }

  private static Map<String, Object> pick(Map<String, Object> from, String... keys) {
    Map<String, Object> picked = new LinkedHashMap<>();
    for (String key : keys) {
      picked.put(key, from.get(key));
    }
    return picked;
  }

  private static Double ratio(Object a, Object b) {
    if (!(a instanceof Number) || !(b instanceof Number)) {
      return null;
    }
    double x = ((Number) a).doubleValue();
    double y = ((Number) b).doubleValue();
    return y == 0 ? null : Math.round(x / y * 100) / 100.0;
  }

  private static Map<String, Object> machine(Gateway gateway, String loadStart) {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_bytes", memTotal());
    machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("date", Instant.now().toString());
    machine.put("load_average_start", loadStart);
    machine.put("load_average_end", loadAverage());
    machine.put("gateway_pid", gateway.pid());
    return machine;
  }

  private static void write(Path directory, String stamp, Map<String, Object> result) throws IOException {
    Files.createDirectories(directory);
    String json = Json.write(result);
    String html = Chart.html(result);
    Files.writeString(directory.resolve(stamp + ".json"), json, StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("latest.json"), json, StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(stamp + ".html"), html, StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("latest.html"), html, StandardCharsets.UTF_8);
    log("wrote " + directory.resolve(stamp + ".json") + " and latest.json/.html");
  }

  private static int port(BenchOptions options) {
    int port = options.ws.getPort();
    return port > 0 ? port : 80;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static Long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static void log(String line) {
    System.err.println(Instant.now() + " bench: " + line);
  }
}
