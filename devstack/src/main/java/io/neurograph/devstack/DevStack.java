package io.neurograph.devstack;

import io.neurograph.devstack.Console.Row;
import io.neurograph.devstack.auth.DevToken;
import io.neurograph.devstack.kafka.KafkaBroker;
import io.neurograph.devstack.postgres.PostgresServer;
import io.neurograph.devstack.redis.RedisServer;
import io.neurograph.devstack.services.ServiceEnvironment;
import io.neurograph.devstack.services.ServiceJars;
import io.neurograph.devstack.services.ServiceJars.MissingServiceJarException;
import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.devstack.services.ServiceProcess.ServiceStartException;
import io.neurograph.devstack.services.ServiceSpec;
import io.neurograph.devstack.services.Services;
import io.neurograph.devstack.support.Directories;
import io.neurograph.devstack.support.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command local platform: Kafka (KRaft), PostgreSQL and Redis, embedded unless external ones are
 * named by environment variables, then every service of {@link Services#ALL} as its own JVM (as many
 * instances of each as asked for). Ctrl-C stops everything in reverse order and exits with 0.
 */
public final class DevStack {

  private static final Logger log = LoggerFactory.getLogger(DevStack.class);
  private static final int LOG_TAIL_LINES = 40;

  private final Options options;
  private final Map<String, String> env;
  private final Console console;
  private final List<ServiceSpec> services;
  private final StopList stopList = new StopList();
  private final AtomicBoolean signalled = new AtomicBoolean();
  // Part of every instance id: another devstack on the same Kafka must not receive this one's replies.
  private final String runId = UUID.randomUUID().toString().substring(0, 8);

  private DevStack(Options options, Map<String, String> env, Console console, List<ServiceSpec> services) {
    this.options = options;
    this.env = env;
    this.console = console;
    this.services = services;
  }

  /** Parses the command line and runs until Ctrl-C (SIGINT), SIGTERM or a failed start. */
  public static void main(String[] args) {
    Console console = new Console(System.out, System.err);
    Options options;
    try {
      options = Options.parse(List.of(args), Services.ALL);
    } catch (UsageException e) {
      console.usageError(e.getMessage(), Options.usage(Services.ALL));
      System.exit(2);
      return;
    }
    if (options.help()) {
      console.usage(Options.usage(Services.ALL));
      return;
    }
    int exitCode = new DevStack(options, System.getenv(), console, Services.ALL).run();
    System.exit(exitCode);
  }

  /** The end of the table: a development token when the gateway checks JWTs with a shared secret. */
  private String footer() {
    String stop = "Press Ctrl-C to stop everything.";
    return DevToken.fromEnvironment(env, Instant.now())
        .map(token -> "The gateway requires a JWT. A development token (HS256, subject " + DevToken.SUBJECT
            + ", scopes " + DevToken.SCOPES + ", valid " + DevToken.LIFETIME.toHours() + " h):"
            + System.lineSeparator() + System.lineSeparator() + "  " + token + System.lineSeparator()
            + System.lineSeparator() + "Send it as ?access_token=, as Authorization: Bearer, or in an auth frame."
            + System.lineSeparator() + System.lineSeparator() + stop)
        .orElse(stop);
  }

  /** Starts everything and blocks; returns only when the start failed (non-zero exit code). */
  private int run() {
    long started = System.nanoTime();
    Map<ServiceSpec, Path> jars = new LinkedHashMap<>();
    if (!options.infraOnly()) {
      try {
        ServiceJars locator = ServiceJars.fromEnvironment(env);
        services.forEach(s -> jars.put(s, locator.locate(s.name())));
      } catch (MissingServiceJarException e) {
        console.error(e.getMessage());
        return 1;
      }
      for (ServiceSpec service : services) {
        for (int instance = 1; instance <= options.instances(service); instance++) {
          int port = options.port(service, instance);
          if (!Ports.isFree(port)) {
            console.error("port " + port + " for " + service.instanceName(instance, options.instances(service))
                + " is in use (another devstack, or the service started by hand?); pick another with "
                + service.portOption());
            return 1;
          }
        }
      }
    }
    if (options.kafkaPort().isPresent() && !env.containsKey(KafkaBroker.ENV_BOOTSTRAP)
        && !Ports.isFree(options.kafkaPort().getAsInt())) {
      console.error("Kafka port " + options.kafkaPort().getAsInt() + " is in use; pick another with --kafka-port");
      return 1;
    }

    Signals.onTermination(this::stopAndExit);
    // Covers the other ways out (System.exit after a failure, a signal the handler does not cover).
    Runtime.getRuntime().addShutdownHook(new Thread(stopList::stopAll, "devstack-shutdown"));

    try {
      Path logsDir = Directories.create(options.logsDir().toAbsolutePath());
      Path dataDir = dataDirectory();
      KafkaBroker kafka = startKafka(dataDir);
      PostgresServer postgres = startPostgres(dataDir, logsDir);
      RedisServer redis = startRedis(dataDir, logsDir);
      Map<String, String> serviceEnv = ServiceEnvironment.of(kafka, postgres, redis);
      if (options.infraOnly()) {
        console.exports(serviceEnv, "Kafka, PostgreSQL and Redis are up (" + seconds(started)
            + " s). A service joins them with:", "Ctrl-C stops them.");
        return awaitSignal();
      }
      List<Row> rows = new ArrayList<>(infraRows(kafka, postgres, redis, dataDir));
      for (ServiceSpec service : services) {
        int count = options.instances(service);
        for (int instance = 1; instance <= count; instance++) {
          String name = service.instanceName(instance, count);
          Map<String, String> instanceEnv = new LinkedHashMap<>(serviceEnv);
          String instanceId = name + "-" + runId;
          service.instanceIdVariable().ifPresent(variable -> instanceEnv.put(variable, instanceId));
          ServiceProcess process = startService(name, options.port(service, instance), jars.get(service), instanceEnv,
              logsDir);
          if (process == null) {
            return 1;
          }
          Path shownLog = options.logsDir().resolve(name + ".log");
          String note = (service.instanceIdVariable().isPresent() ? "instance id " + instanceId + "; " : "")
              + "log: " + shownLog;
          rows.add(new Row(name, process.baseUrl(), note));
          // With several instances each address says whose it is; alone, the plain label reads better.
          service.links().forEach(link -> rows.add(new Row(count == 1 ? link.label() : name + " " + link.label(),
              link.url(process.port()), "")));
        }
      }
      console.table("NeuroGraph devstack is up (" + seconds(started) + " s):", rows, footer());
      return awaitSignal();
    } catch (StopList.Stopping stopping) {
      return awaitSignal();
    } catch (RuntimeException e) {
      if (stopList.isStopping()) {
        // A signal arrived while starting; the handler finishes the job and exits.
        return awaitSignal();
      }
      log.debug("Start failed", e);
      console.error("cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      stopList.stopAll();
      return 1;
    }
  }

  private Path dataDirectory() {
    if (options.dataDir().isPresent()) {
      return Directories.create(options.dataDir().get().toAbsolutePath());
    }
    try {
      Path temporary = Files.createTempDirectory("neurograph-devstack-");
      // Registered first, so it runs last, after every server has let go of its files.
      stopList.addCleanup("Deleting temporary data directory " + temporary, "Deleted temporary data directory",
          () -> Directories.deleteRecursively(temporary));
      return temporary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data directory", e);
    }
  }

  private KafkaBroker startKafka(Path dataDir) {
    String external = env.get(KafkaBroker.ENV_BOOTSTRAP);
    if (external != null && !external.isBlank()) {
      return KafkaBroker.external(external.trim());
    }
    boolean aServiceWantsIt = services.stream().anyMatch(s -> options.ports(s).contains(KafkaBroker.DEFAULT_PORT));
    int port = options.kafkaPort().orElseGet(
        () -> aServiceWantsIt ? Ports.free() : Ports.preferredOrFree(KafkaBroker.DEFAULT_PORT));
    return stopList.start("Kafka", () -> KafkaBroker.embedded(port, Ports.free(), dataDir.resolve("kafka")),
        broker -> broker::close);
  }

  private PostgresServer startPostgres(Path dataDir, Path logsDir) {
    String external = env.get(PostgresServer.ENV_URL);
    if (external != null && !external.isBlank()) {
      return PostgresServer.external(external.trim(), env.getOrDefault(PostgresServer.ENV_USER, "postgres"),
          env.getOrDefault(PostgresServer.ENV_PASSWORD, "postgres"));
    }
    boolean keep = options.dataDir().isPresent();
    return stopList.start("PostgreSQL",
        () -> PostgresServer.embedded(dataDir.resolve("postgres"), keep, logsDir.resolve("postgres.log")),
        server -> server::close);
  }

  private RedisServer startRedis(Path dataDir, Path logsDir) {
    String external = env.get(RedisServer.ENV_URL);
    if (external != null && !external.isBlank()) {
      return RedisServer.external(external.trim());
    }
    Path workDir = Directories.create(dataDir.resolve("redis"));
    return stopList.start("Redis", () -> RedisServer.embedded(Ports.free(), workDir, logsDir.resolve("redis.log")),
        server -> server::close);
  }

  /** Starts one instance of a service and waits until it is ready; null (after stopping everything) when it fails. */
  private ServiceProcess startService(String name, int port, Path jar, Map<String, String> serviceEnv, Path logsDir) {
    long started = System.nanoTime();
    Path logFile = logsDir.resolve(name + ".log");
    ServiceProcess process = stopList.start(name,
        () -> ServiceProcess.builder(name, jar)
            .port(port)
            .env(serviceEnv)
            .logFile(logFile)
            .start(),
        this::stopStep);
    log.info("Started {} (pid {}) from {}; waiting until it is ready, log: {}", name, process.pid(), jar, logFile);
    try {
      process.awaitReady();
    } catch (ServiceStartException e) {
      if (stopList.isStopping()) {
        throw new StopList.Stopping();
      }
      console.error(e.getMessage());
      console.logTail(name, logFile, process.tail(LOG_TAIL_LINES));
      stopList.stopAll();
      return null;
    }
    log.info("{} is ready at {} ({} s)", name, process.baseUrl(), seconds(started));
    process.onExit().thenAccept(p -> {
      if (!stopList.isStopping()) {
        log.error("{} exited unexpectedly with code {}; the rest keeps running. Its log: {}", p.name(), p.exitCode(),
            p.logFile());
      }
    });
    return process;
  }

  private StopList.Step stopStep(ServiceProcess process) {
    return () -> {
      if (!process.isAlive()) {
        log.info("{} had already exited with code {}", process.name(), process.exitCode());
        return;
      }
      if (!process.stop()) {
        log.warn("{} did not stop within {} s of SIGTERM and was killed", process.name(),
            ServiceProcess.DEFAULT_STOP_GRACE.toSeconds());
      }
    };
  }

  private List<Row> infraRows(KafkaBroker kafka, PostgresServer postgres, RedisServer redis, Path dataDir) {
    String lifetime = options.dataDir().isPresent() ? " (kept)" : " (deleted on exit)";
    return List.of(
        new Row("Kafka", kafka.bootstrapServers(),
            kafka.isEmbedded() ? "embedded KRaft broker; data in " + kafka.logDir() + lifetime : "external"),
        new Row("PostgreSQL", postgres.jdbcUrl(), "user " + postgres.user() + ", password " + postgres.password()
            + (postgres.isEmbedded() ? "; embedded; data in " + dataDir.resolve("postgres") + lifetime : "; external")),
        new Row("Redis", redis.url(), redis.isEmbedded() ? "embedded, no persistence" : "external"));
  }

  private void stopAndExit(String signal) {
    if (!signalled.compareAndSet(false, true)) {
      log.info("Received SIG{} again; still stopping, please wait", signal);
      return;
    }
    log.info("Received SIG{}; stopping everything", signal);
    try {
      stopList.stopAll();
      log.info("Everything stopped");
    } finally {
      System.exit(0);
    }
  }

  private static int awaitSignal() {
    try {
      // The signal handler (or the shutdown hook) ends the JVM.
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static long seconds(long startedNanos) {
    return Math.round((System.nanoTime() - startedNanos) / 1e9);
  }
}
