package io.neurograph.devstack.guarantees;

import io.neurograph.devstack.services.ServiceJars;
import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.testkit.FreePorts;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.RedisEndpoint;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.testkit.TestRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Several instances of every service jar, each its own JVM, on one Kafka broker, one PostgreSQL database and
 * one Redis of this test (unique topic prefix, database and cache keys). Instances of a service share its
 * consumer group, so the command partitions are spread over them and move to the survivors when one dies.
 */
final class Cluster implements AutoCloseable {

  static final Duration READY = Duration.ofSeconds(180);
  /** More partitions than instances, so every instance owns some work and a dead one's moves elsewhere. */
  static final int PARTITIONS = 4;
  /**
   * Six JVMs start on a machine of two cores: the C1 compiler alone and the serial collector need far less
   * CPU while starting, and a test of a few hundred requests never needs C2's speed.
   */
  static final List<String> JVM_ARGS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final String prefix;
  private final PostgresDatabase database;
  private final RedisEndpoint redis;
  private final Path logs;
  private final ServiceJars jars = new ServiceJars(null, Path.of("target").toAbsolutePath());
  private final List<ServiceProcess> tokenServices = new ArrayList<>();
  private final List<ServiceProcess> graphServices = new ArrayList<>();
  private final List<ServiceProcess> gateways = new ArrayList<>();

  private Cluster(String name) throws Exception {
    this.prefix = "g-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    this.database = TestPostgres.newDatabase("g_" + name.replace('-', '_'));
    this.redis = TestRedis.shared();
    this.logs = Files.createDirectories(Path.of("target", "guarantees-logs", prefix));
  }

  /**
   * Starts {@code instances} of token-service, graph-service and the gateway and waits until all are ready.
   * The first instance of each data service starts alone (it creates the topics and migrates its schema);
   * the rest start together, to keep the start-up short.
   */
  static Cluster start(String name, int instances) throws Exception {
    Cluster cluster = new Cluster(name);
    // Not the common pool: on two cores it runs one task at a time, and the point is to start them together.
    ExecutorService starter = Executors.newCachedThreadPool();
    try {
      cluster.tokenServices.add(cluster.tokenService(1));
      cluster.graphServices.add(cluster.graphService(1));
      List<CompletableFuture<Void>> rest = new ArrayList<>();
      for (int n = 2; n <= instances; n++) {
        int instance = n;
        rest.add(CompletableFuture.runAsync(() -> add(cluster.tokenServices, cluster.tokenService(instance)), starter));
        rest.add(CompletableFuture.runAsync(() -> add(cluster.graphServices, cluster.graphService(instance)), starter));
      }
      for (int n = 1; n <= instances; n++) {
        int instance = n;
        rest.add(CompletableFuture.runAsync(() -> add(cluster.gateways, cluster.gateway(instance)), starter));
      }
      CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(READY.toSeconds() * 2, TimeUnit.SECONDS);
      cluster.gateways.sort((a, b) -> a.name().compareTo(b.name()));
      cluster.tokenServices.sort((a, b) -> a.name().compareTo(b.name()));
      cluster.graphServices.sort((a, b) -> a.name().compareTo(b.name()));
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    } finally {
      starter.shutdown();
    }
  }

  private static void add(List<ServiceProcess> list, ServiceProcess process) {
    synchronized (list) {
      list.add(process);
    }
  }

  private Map<String, String> common() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
    env.put("NEUROGRAPH_KAFKA_TOPIC_PREFIX", prefix);
    env.put("NEUROGRAPH_KAFKA_PARTITIONS", String.valueOf(PARTITIONS));
    env.put("SPRING_DATA_REDIS_HOST", redis.host());
    env.put("SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()));
    return env;
  }

  private ServiceProcess gateway(int instance) {
    String name = "gateway-" + instance;
    ServiceProcess process = onFreePort(port -> ServiceProcess.builder(name, jars.locate("gateway"))
        .port(port)
        .logFile(logs.resolve(name + ".log"))
        .jvmArgs(JVM_ARGS)
        .env(common())
        // Replies are addressed by this id: each instance needs its own.
        .env("NEUROGRAPH_GATEWAY_INSTANCE_ID", name + "-" + prefix)
        .env("NEUROGRAPH_GATEWAY_CLIENT_RATE_LIMIT_KEY_PREFIX", prefix + ":rate:")
        .start());
    process.awaitReady(READY);
    return process;
  }

  // Guards port probing and forking; see onFreePort.
  private static final Object PORTS = new Object();

  /**
   * Starts a service on a port that was free a moment ago. One start at a time: a JVM forked while another
   * thread holds a probe socket inherits it until the child closes its descriptors, so that thread's port
   * looks taken (runs failed on exactly that when instances started in parallel). Another port is tried when
   * something else took the first one.
   */
  private static ServiceProcess onFreePort(IntFunction<ServiceProcess> start) {
    IllegalStateException taken = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        synchronized (PORTS) {
          return start.apply(FreePorts.next());
        }
      } catch (IllegalStateException e) {
        if (e.getMessage() == null || !e.getMessage().contains("already in use")) {
          throw e;
        }
        taken = e;
      }
    }
    throw taken;
  }

  private ServiceProcess tokenService(int instance) {
    return dataService("token-service", instance, "NEUROGRAPH_TOKENS_CACHE_KEY_PREFIX", prefix + ":");
  }

  private ServiceProcess graphService(int instance) {
    return dataService("graph-service", instance, "NEUROGRAPH_GRAPH_CACHE_KEY_PREFIX", prefix + ":graph:");
  }

  private ServiceProcess dataService(String service, int instance, String cachePrefixVariable, String cachePrefix) {
    String name = service + "-" + instance;
    ServiceProcess process = onFreePort(port -> ServiceProcess.builder(name, jars.locate(service))
        .port(port)
        .logFile(logs.resolve(name + ".log"))
        .jvmArgs(JVM_ARGS)
        .env(common())
        .env("SPRING_R2DBC_URL", database.r2dbcUrl())
        .env("SPRING_R2DBC_USERNAME", database.user())
        .env("SPRING_R2DBC_PASSWORD", database.password())
        .env(cachePrefixVariable, cachePrefix)
        .start());
    process.awaitReady(READY);
    return process;
  }

  List<ServiceProcess> gateways() {
    return gateways;
  }

  List<ServiceProcess> tokenServices() {
    return tokenServices;
  }

  List<ServiceProcess> graphServices() {
    return graphServices;
  }

  /** The WebSocket endpoint of a gateway instance, with {@code client_id}. */
  static URI ws(ServiceProcess gateway, String clientId) {
    return URI.create("ws://localhost:" + gateway.port() + "/ws?client_id=" + clientId);
  }

  /** A JDBC connection to the services' database, for checking what was really stored. */
  Connection database() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  String topicPrefix() {
    return prefix;
  }

  @Override
  public void close() {
    List<ServiceProcess> all = new ArrayList<>();
    all.addAll(gateways);
    all.addAll(graphServices);
    all.addAll(tokenServices);
    // Stopped together: one by one, six graceful shutdowns would take most of a minute.
    ExecutorService stopper = Executors.newCachedThreadPool();
    try {
      CompletableFuture.allOf(all.stream()
          .filter(ServiceProcess::isAlive)
          .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(20)), stopper))
          .toArray(CompletableFuture[]::new)).join();
    } finally {
      stopper.shutdown();
    }
  }
}
