package io.neurograph.devstack.services;

import io.neurograph.devstack.support.ChildProcesses;
import io.neurograph.devstack.support.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Spring Boot service jar running as a child JVM: started with an environment and an HTTP port, its
 * output appended to a log file, ready when {@code /actuator/health/readiness} answers 200.
 */
public final class ServiceProcess {

  /** How long {@link #awaitReady()} waits by default. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(180);
  /** How long {@link #stop()} waits after SIGTERM before it kills. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
  /** JVM options of a service unless the builder says otherwise. */
  public static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx384m");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  private final String name;
  private final int port;
  private final Path logFile;
  private final Process process;

  private ServiceProcess(String name, int port, Path logFile, Process process) {
    this.name = name;
    this.port = port;
    this.logFile = logFile;
    this.process = process;
  }

  /** A builder for the service {@code name} from {@code jar}. */
  public static Builder builder(String name, Path jar) {
    return new Builder(name, jar);
  }

  /** The service name, e.g. {@code gateway}. */
  public String name() {
    return name;
  }

  /** Its HTTP port ({@code SERVER_PORT}). */
  public int port() {
    return port;
  }

  /** {@code http://localhost:<port>}. */
  public String baseUrl() {
    return "http://localhost:" + port;
  }

  /** Where its stdout and stderr go (appended). */
  public Path logFile() {
    return logFile;
  }

  /** The operating-system process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the JVM still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes with this service when its JVM has exited. */
  public CompletableFuture<ServiceProcess> onExit() {
    return process.onExit().thenApply(p -> this);
  }

  /** The exit code; only once it has exited. */
  public int exitCode() {
    return process.exitValue();
  }

  /** {@link #awaitReady(Duration)} with {@link #DEFAULT_READY_TIMEOUT}. */
  public void awaitReady() {
    awaitReady(DEFAULT_READY_TIMEOUT);
  }

  /**
   * Waits until the readiness probe answers 200. Throws {@link ServiceStartException} when the JVM exits
   * first or the timeout passes (the process is left running then; the caller decides).
   */
  public void awaitReady(Duration timeout) {
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new ServiceStartException(this, name + " exited with code " + process.exitValue() + " before it was ready");
      }
      try {
        if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceStartException(this, "interrupted while waiting for " + name);
      }
      if (System.nanoTime() > deadline) {
        throw new ServiceStartException(this, name + " was not ready within " + timeout.toSeconds() + " s");
      }
      awaitExit(POLL_INTERVAL);
    }
  }

  private void awaitExit(Duration atMost) {
    try {
      // Waiting on the exit doubles as the poll interval and notices a crash at once.
      process.onExit().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      // expected
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Graceful stop: SIGTERM, up to {@link #DEFAULT_STOP_GRACE}, then SIGKILL. Returns whether it was graceful. */
  public boolean stop() {
    return stop(DEFAULT_STOP_GRACE);
  }

  /** Graceful stop: SIGTERM, up to {@code grace}, then SIGKILL. Returns whether it was graceful. */
  public boolean stop(Duration grace) {
    return ChildProcesses.stop(process, grace);
  }

  /** Crash: SIGKILL (on Linux), no shutdown hooks; returns once the process is gone. */
  public void kill() {
    ChildProcesses.kill(process);
  }

  /** The last {@code lines} lines of the log file. */
  public List<String> tail(int lines) {
    return ChildProcesses.tail(logFile, lines);
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ", port " + port + ")";
  }

  /** The service did not become ready: it died or timed out. */
  public static final class ServiceStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient ServiceProcess service;

    ServiceStartException(ServiceProcess service, String message) {
      super(message);
      this.service = service;
    }

    /** The service that failed. */
    public ServiceProcess service() {
      return service;
    }
  }

  /** Settings of one start. */
  public static final class Builder {

    private final String name;
    private final Path jar;
    private int port;
    private Path logFile;
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<String> jvmArgs = DEFAULT_JVM_ARGS;

    private Builder(String name, Path jar) {
      this.name = Objects.requireNonNull(name, "name");
      this.jar = Objects.requireNonNull(jar, "jar");
    }

    /** HTTP port, passed as {@code SERVER_PORT}. Required. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Log file for stdout and stderr (appended). Default: {@code <name>.log} in the working directory. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** Adds environment variables on top of this process's own. */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** Adds one environment variable. */
    public Builder env(String variable, String value) {
      env.put(variable, value);
      return this;
    }

    /** JVM options instead of {@link #DEFAULT_JVM_ARGS}. */
    public Builder jvmArgs(List<String> args) {
      this.jvmArgs = List.copyOf(args);
      return this;
    }

    /** Starts the JVM; fails at once when the port is taken (a stale instance would answer the probe). */
    public ServiceProcess start() {
      if (port < 1 || port > 65_535) {
        throw new IllegalStateException("no valid port for " + name + ": " + port);
      }
      if (!Ports.isFree(port)) {
        throw new IllegalStateException("port " + port + " for " + name + " is already in use");
      }
      Path log = logFile != null ? logFile : Path.of(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(ChildProcesses.javaBinary());
      command.addAll(jvmArgs);
      command.add("-jar");
      command.add(jar.toAbsolutePath().toString());
      ProcessBuilder builder = new ProcessBuilder(ChildProcesses.detached(command))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      builder.environment().put("SERVER_PORT", String.valueOf(port));
      try {
        if (log.toAbsolutePath().getParent() != null) {
          Files.createDirectories(log.toAbsolutePath().getParent());
        }
        Files.writeString(log, "----- devstack: starting " + name + " on port " + port + " at " + Instant.now()
            + " -----" + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new ServiceProcess(name, port, log, builder.start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
      }
    }
  }
}
