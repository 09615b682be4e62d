package io.neurograph.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway JVM as seen from outside: CPU time and RSS from {@code /proc}, heap after a full GC and JFR
 * recordings through {@code jcmd}, BlockHound violations from its log. Linux only, same user as the gateway.
 */
final class Gateway {

  private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern ANY_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("\\s*\\d+:\\s+\\d+\\s+\\d+\\s+.*");
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private final long pid;
  private final Path log;

  Gateway(long pid, Path log) {
    this.pid = pid;
    this.log = log;
  }

  /** The given pid, or the local {@code gateway.jar} JVM whose {@code SERVER_PORT} is {@code port}. */
  static Gateway find(long pid, Path log, int port) {
    long found = pid > 0 ? pid : detect(port);
    Path logFile = log;
    if (logFile == null) {
      try {
        logFile = Files.readSymbolicLink(Path.of("/proc", String.valueOf(found), "fd", "1"));
      } catch (IOException e) {
        logFile = null;
      }
    }
    return new Gateway(found, logFile);
  }

  private static long detect(int port) {
    List<Long> gateways = new ArrayList<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String commandLine = readQuietly(process.resolve("cmdline"));
        if (!commandLine.contains("gateway.jar")) {
          continue;
        }
        long candidate = Long.parseLong(process.getFileName().toString());
        String environment = readQuietly(process.resolve("environ"));
        if (environment.contains("\0SERVER_PORT=" + port + "\0") || environment.startsWith("SERVER_PORT=" + port + "\0")) {
          return candidate;
        }
        gateways.add(candidate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (gateways.size() == 1) {
      return gateways.get(0);
    }
    throw new IllegalStateException("cannot tell which gateway JVM serves port " + port + " (candidates " + gateways
        + "); pass --gateway-pid");
  }

  long pid() {
    return pid;
  }

  Path log() {
    return log;
  }

  /** User + system CPU seconds the gateway JVM has used so far. */
  double cpuSeconds() {
    String stat = readQuietly(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  /** Resident set size in bytes. */
  long rssBytes() {
    for (String line : readQuietly(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  /** Heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  long heapAfterGcBytes() {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher g1 = G1_USED.matcher(info);
    if (g1.find()) {
      return Long.parseLong(g1.group(1)) * 1024;
    }
    long used = 0;
    Matcher any = ANY_USED.matcher(info);
    while (any.find()) {
      used += Long.parseLong(any.group(1)) * 1024;
    }
    return used;
  }

  /** The {@code lines} biggest classes of the live heap ({@code jcmd GC.class_histogram}, which runs a full GC). */
  List<String> topClasses(int lines) {
    return histogramRows().limit(lines).map(row -> String.join(" ", row)).toList();
  }

  /** Live bytes per class ({@code jcmd GC.class_histogram}, which runs a full GC). */
  Map<String, Long> classBytes() {
    Map<String, Long> bytes = new HashMap<>();
    histogramRows().forEach(row -> bytes.merge(row[3], Long.parseLong(row[2]), Long::sum));
    return bytes;
  }

  /** The class rows of a heap histogram, biggest first: rank, instances, bytes, class name (and module). */
  private Stream<String[]> histogramRows() {
    return jcmd("GC.class_histogram").lines()
        .filter(line -> HISTOGRAM_ROW.matcher(line).matches())
        .map(line -> line.strip().split("\\s+"));
  }

  void startRecording(String name, Path file) {
    jcmd("JFR.start", "name=" + name, "settings=profile", "filename=" + file.toAbsolutePath());
  }

  void stopRecording(String name) {
    jcmd("JFR.stop", "name=" + name);
  }

  /** Whether the gateway log shows BlockHound installed, and how many violations it logged since. */
  Map<String, Object> blockHound() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("log", log == null ? null : log.toString());
    if (log == null || !Files.isReadable(log)) {
      result.put("enabled", false);
      result.put("violations", null);
      return result;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      lines = List.of();
    }
    int installed = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("BlockHound installed")) {
        installed = i;
      }
    }
    long violations = 0;
    List<String> examples = new ArrayList<>();
    for (int i = Math.max(installed, 0); i < lines.size(); i++) {
      if (lines.get(i).contains("BlockHound violation")) {
        violations++;
        if (examples.size() < 5) {
          examples.add(lines.get(i).strip());
        }
      }
    }
    result.put("enabled", installed >= 0);
    result.put("violations", installed >= 0 ? violations : null);
    result.put("examples", examples);
    return result;
  }

  private String jcmd(String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new ArrayList<>();
    line.add(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd");
    line.add(String.valueOf(pid));
    line.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code uri} with {@code query} appended. */
  static URI withQuery(URI uri, String query) {
    String s = uri.toString();
    return URI.create(s + (s.contains("?") ? "&" : "?") + query);
  }

  private static String readQuietly(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
