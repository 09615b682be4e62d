package io.neurograph.devstack.e2e;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real platform for an end-to-end test: the gateway, token-service and (when asked for) graph-service
 * jars as their own JVMs, on a real Kafka broker, a PostgreSQL database and a Redis of this test (unique
 * topic prefix, database and cache keys, so test classes never see each other's data). The two services
 * share the database as in devstack: graph-service keeps its tables in its own schema.
 */
final class Platform implements AutoCloseable {

  static final Duration READY = Duration.ofSeconds(180);

  private final String name;
  private final String prefix;
  private final PostgresDatabase database;
  private final RedisEndpoint redis;
  private final Path logs;
  private final ServiceJars jars = new ServiceJars(null, Path.of("target").toAbsolutePath());
  private ServiceProcess tokenService;
  private ServiceProcess graphService;
  private ServiceProcess gateway;

  private Platform(String name) throws Exception {
    this.name = name;
    this.prefix = "e2e-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    this.database = TestPostgres.newDatabase("e2e_" + name.replace('-', '_'));
    this.redis = TestRedis.shared();
    this.logs = Files.createDirectories(Path.of("target", "e2e-logs", prefix));
  }

  /** Starts token-service, then the gateway, and waits until both are ready. */
  static Platform start(String name) throws Exception {
    return start(name, false);
  }

  /** Starts token-service, graph-service (when {@code withGraph}), then the gateway; waits until all are ready. */
  static Platform start(String name, boolean withGraph) throws Exception {
    return start(name, withGraph, Map.of());
  }

  /** As {@link #start(String, boolean)}, with extra environment variables for the gateway (e.g. auth). */
  static Platform start(String name, boolean withGraph, Map<String, String> gatewayEnv) throws Exception {
    Platform platform = new Platform(name);
    try {
      platform.startTokenService();
      if (withGraph) {
        platform.startGraphService();
      }
      platform.gateway = ServiceProcess.builder("gateway", platform.jars.locate("gateway"))
          .port(FreePorts.next())
          .logFile(platform.logs.resolve("gateway.log"))
          .env(platform.common())
          .env("NEUROGRAPH_GATEWAY_INSTANCE_ID", "gw-" + platform.prefix)
          .env("SPRING_DATA_REDIS_HOST", platform.redis.host())
          .env("SPRING_DATA_REDIS_PORT", String.valueOf(platform.redis.port()))
          .env("NEUROGRAPH_GATEWAY_CLIENT_RATE_LIMIT_KEY_PREFIX", platform.prefix + ":rate:")
          .env(gatewayEnv)
          .start();
      platform.gateway.awaitReady(READY);
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private Map<String, String> common() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
    env.put("NEUROGRAPH_KAFKA_TOPIC_PREFIX", prefix);
    env.put("NEUROGRAPH_KAFKA_PARTITIONS", "3");
    return env;
  }

  /** Starts (or restarts) token-service and waits until it is ready. */
  ServiceProcess startTokenService() {
    tokenService = startDataService("token-service", "NEUROGRAPH_TOKENS_CACHE_KEY_PREFIX", prefix + ":");
    return tokenService;
  }

  /** Starts (or restarts) graph-service and waits until it is ready. */
  ServiceProcess startGraphService() {
    graphService = startDataService("graph-service", "NEUROGRAPH_GRAPH_CACHE_KEY_PREFIX", prefix + ":graph:");
    return graphService;
  }

  /** A service with a database and a cache of this test, ready. */
  private ServiceProcess startDataService(String service, String cachePrefixVariable, String cachePrefix) {
    ServiceProcess process = ServiceProcess.builder(service, jars.locate(service))
        .port(FreePorts.next())
        .logFile(logs.resolve(service + ".log"))
        .env(common())
        .env("SPRING_R2DBC_URL", database.r2dbcUrl())
        .env("SPRING_R2DBC_USERNAME", database.user())
        .env("SPRING_R2DBC_PASSWORD", database.password())
        .env("SPRING_DATA_REDIS_HOST", redis.host())
        .env("SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()))
        .env(cachePrefixVariable, cachePrefix)
        .start();
    process.awaitReady(READY);
    return process;
  }

  ServiceProcess graphService() {
    return graphService;
  }

  ServiceProcess tokenService() {
    return tokenService;
  }

  ServiceProcess gateway() {
    return gateway;
  }

  /** The WebSocket endpoint with a query string (may be empty). */
  URI ws(String query) {
    return URI.create("ws://localhost:" + gateway.port() + "/ws" + query);
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
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(20));
    }
    if (graphService != null && graphService.isAlive()) {
      graphService.stop(Duration.ofSeconds(20));
    }
    if (tokenService != null && tokenService.isAlive()) {
      tokenService.stop(Duration.ofSeconds(20));
    }
  }
}
