package io.neurograph.devstack.guarantees;

import io.neurograph.devstack.postgres.PostgresServer;
import io.neurograph.devstack.services.ServiceJars;
import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.testkit.FreePorts;
import io.neurograph.testkit.StoppableRedis;
import io.neurograph.testkit.TcpProxy;
import io.neurograph.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real gateway, token-service and graph-service jars as processes, on servers this test may break:
 * each service has a PostgreSQL server of its own that can be stopped and started again on the same port
 * with the same data, and all of them reach one Redis through a {@link TcpProxy} that can be cut (Redis
 * unreachable, data kept) besides the Redis itself being stopped (data lost). Kafka is the tests' shared
 * broker; topics and cache keys carry a prefix of this platform.
 */
final class FaultPlatform implements AutoCloseable {

  static final Duration READY = Duration.ofSeconds(180);

  /** The service whose database a test stops. */
  enum Db { TOKENS, GRAPH }

  private final String prefix;
  private final Path work;
  private final ServiceJars jars = new ServiceJars(null, Path.of("target").toAbsolutePath());
  private final Map<Db, Integer> pgPorts = new LinkedHashMap<>();
  private final Map<Db, PostgresServer> pg = new LinkedHashMap<>();
  private final StoppableRedis redis;
  private final TcpProxy redisProxy;
  private ServiceProcess tokenService;
  private ServiceProcess graphService;
  private ServiceProcess gateway;

  private FaultPlatform(String name) throws IOException {
    this.prefix = "fault-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    this.work = Files.createDirectories(Path.of("target", "guarantees", prefix).toAbsolutePath());
    this.redis = StoppableRedis.start();
    this.redisProxy = TcpProxy.start(FreePorts.next(), redis.endpoint().port());
  }

  /** Starts both databases, then token-service, graph-service and the gateway together, all ready. */
  static FaultPlatform start(String name) throws Exception {
    FaultPlatform platform = new FaultPlatform(name);
    try {
      for (Db db : Db.values()) {
        platform.pgPorts.put(db, FreePorts.next());
        platform.startPostgres(db);
      }
      // No JVM needs another to be ready to start (they meet through Kafka): starting all three together
      // saves a minute or two on a loaded machine.
      platform.tokenService = platform.startDataService("token-service", Db.TOKENS,
          "NEUROGRAPH_TOKENS_CACHE_KEY_PREFIX", platform.prefix + ":");
      platform.graphService = platform.startDataService("graph-service", Db.GRAPH,
          "NEUROGRAPH_GRAPH_CACHE_KEY_PREFIX", platform.prefix + ":graph:");
      platform.gateway = ServiceProcess.builder("gateway", platform.jars.locate("gateway"))
          .port(FreePorts.next())
          .logFile(platform.work.resolve("gateway.log"))
          .env(platform.common())
          .env("NEUROGRAPH_GATEWAY_INSTANCE_ID", "gw-" + platform.prefix)
          .env("NEUROGRAPH_GATEWAY_CLIENT_RATE_LIMIT_KEY_PREFIX", platform.prefix + ":rate:")
          .start();
      platform.tokenService.awaitReady(READY);
      platform.graphService.awaitReady(READY);
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
    env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
    env.put("SPRING_DATA_REDIS_PORT", String.valueOf(redisProxy.port()));
    return env;
  }

  /** Starts a service's JVM without waiting for it to be ready. */
  private ServiceProcess startDataService(String service, Db db, String cachePrefixVariable, String cachePrefix) {
    PostgresServer server = pg.get(db);
    ServiceProcess process = ServiceProcess.builder(service, jars.locate(service))
        .port(FreePorts.next())
        .logFile(work.resolve(service + ".log"))
        .env(common())
        .env("SPRING_R2DBC_URL", server.r2dbcUrl())
        .env("SPRING_R2DBC_USERNAME", server.user())
        .env("SPRING_R2DBC_PASSWORD", server.password())
        .env(cachePrefixVariable, cachePrefix)
        .start();
    return process;
  }

  /** Starts (or restarts) a database on its port with the data it had. */
  void startPostgres(Db db) {
    pg.put(db, PostgresServer.embedded(work.resolve("pg-" + db.name().toLowerCase()), true,
        work.resolve("postgres-" + db.name().toLowerCase() + ".log"), pgPorts.get(db)));
  }

  /** Stops a database (fast shutdown: open sessions are terminated); its data stays. */
  void stopPostgres(Db db) {
    PostgresServer server = pg.remove(db);
    if (server != null) {
      server.close();
    }
  }

  /** Redis unreachable (connections closed, new ones refused) while it keeps its data. */
  void cutRedis() {
    redisProxy.cut();
  }

  /** Redis reachable again, with the data it had. */
  void restoreRedis() {
    redisProxy.restore();
  }

  /** Redis's own port (not the proxy's), for a test that looks at what is cached. */
  int redisPort() {
    return redis.endpoint().port();
  }

  /** Stops Redis itself: its data is lost. */
  void stopRedis() {
    redis.pause();
  }

  /** Starts Redis again, empty. */
  void startRedis() {
    redis.resume();
  }

  /** A JDBC connection to a service's database, for checking what was really stored. */
  Connection database(Db db) throws SQLException {
    PostgresServer server = pg.get(db);
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  /** The WebSocket endpoint with a query string (may be empty). */
  URI ws(String query) {
    return URI.create("ws://localhost:" + gateway.port() + "/ws" + query);
  }

  String topicPrefix() {
    return prefix;
  }

  ServiceProcess tokenService() {
    return tokenService;
  }

  ServiceProcess graphService() {
    return graphService;
  }

  @Override
  public void close() {
    for (ServiceProcess process : new ServiceProcess[] {gateway, graphService, tokenService}) {
      if (process != null && process.isAlive()) {
        process.stop(Duration.ofSeconds(20));
      }
    }
    for (Db db : Db.values()) {
      stopPostgres(db);
    }
    redisProxy.close();
    redis.close();
    for (Db db : Db.values()) {
      deleteQuietly(work.resolve("pg-" + db.name().toLowerCase()));
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
