package io.neurograph.devstack;

import static org.awaitility.Awaitility.await;

import io.neurograph.devstack.support.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@code java -jar target/neurograph-devstack.jar ...} as a child process, its stdout collected line by line. */
final class DevStackProcess implements AutoCloseable {

  /** How long a start may take on a loaded 2-core machine. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final Path stderr;

  private DevStackProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::readStdout, "devstack-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts devstack in {@code workDir} with extra environment variables. */
  static DevStackProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    Path jar = Path.of(System.getProperty("devstack.jar", "target/neurograph-devstack.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run the ITs through Maven (after package)");
    }
    List<String> command = new ArrayList<>(List.of(ChildProcesses.javaBinary(), "-Xmx768m", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path stderr = workDir.resolve("devstack.stderr.log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
    // Variables of the machine this runs on must not leak into the test (e.g. an external Redis).
    builder.environment().keySet().removeIf(k -> k.startsWith("NEUROGRAPH_") || k.startsWith("SPRING_"));
    builder.environment().putAll(env);
    return new DevStackProcess(builder.start(), stderr);
  }

  private void readStdout() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        stdout.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Waits for a stdout line matching {@code condition}; fails early with stderr when devstack exits. */
  String awaitLine(Predicate<String> condition) {
    await("a line on devstack's stdout")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .failFast("devstack exited", () -> !process.isAlive() && stdout.stream().noneMatch(condition))
        .until(() -> stdout.stream().anyMatch(condition));
    return stdout.stream().filter(condition).findFirst().orElseThrow();
  }

  /** The {@code export NAME=value} lines printed so far. */
  Map<String, String> exports() {
    Map<String, String> env = new LinkedHashMap<>();
    stdout.stream().filter(l -> l.startsWith("export ")).forEach(l -> {
      String assignment = l.substring("export ".length());
      int eq = assignment.indexOf('=');
      env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    });
    return env;
  }

  /** Everything printed to stdout so far. */
  List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** What devstack logged (its stderr). */
  String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGTERM. */
  void terminate() {
    process.destroy();
  }

  /** Sends SIGINT, what Ctrl-C in a terminal sends. */
  void interrupt() throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -INT failed with " + rc);
    }
  }

  /** Waits for the exit and returns the exit code; fails after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("devstack still runs after " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** The devstack process and everything it started that is still its descendant. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      // A failed test must not leave servers behind: SIGTERM lets devstack stop what it started.
      process.destroy();
      try {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
