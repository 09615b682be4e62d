package io.neurograph.devstack.guarantees;

import io.neurograph.devstack.kafka.KafkaBroker;
import io.neurograph.devstack.services.ServiceJars;
import io.neurograph.devstack.services.ServiceProcess;
import io.neurograph.devstack.support.Ports;
import io.neurograph.testkit.FreePorts;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.RedisEndpoint;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.testkit.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real platform (gateway, token-service, graph-service jars as their own JVMs) on a Kafka broker this
 * test owns: it runs in the test JVM and can be stopped and started again on the same ports with the same
 * log directory, as an operator restarting a broker would. PostgreSQL and Redis come from the testkit.
 */
final class KafkaFaultPlatform implements AutoCloseable {

  /** How long a service may take to become ready. */
  static final Duration READY = Duration.ofSeconds(180);

  private final String prefix;
  private final int kafkaPort = FreePorts.next();
  private final int controllerPort = FreePorts.next();
  private final Path kafkaLogDir;
  private final PostgresDatabase database;
  private final RedisEndpoint redis;
  private final Path logs;
  private final ServiceJars jars = new ServiceJars(null, Path.of("target").toAbsolutePath());
  private volatile KafkaBroker broker;
  private ServiceProcess tokenService;
  private ServiceProcess graphService;
  private ServiceProcess gateway;

  private KafkaFaultPlatform(String name) {
    this.prefix = "fault-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    this.database = TestPostgres.newDatabase("fault_" + name.replace('-', '_'));
    this.redis = TestRedis.shared();
    try {
      this.logs = Files.createDirectories(Path.of("target", "fault-logs", prefix)).toAbsolutePath();
      this.kafkaLogDir = Files.createDirectories(logs.resolve("kafka-data"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the broker, token-service, graph-service and the gateway, and waits until all are ready. */
  static KafkaFaultPlatform start(String name) {
    KafkaFaultPlatform platform = new KafkaFaultPlatform(name);
    try {
      platform.startKafka();
      // The two services do not need each other to start; starting them together saves half a minute.
      platform.tokenService = platform.startDataService(
          "token-service", "NEUROGRAPH_TOKENS_CACHE_KEY_PREFIX", platform.prefix + ":");
      platform.graphService = platform.startDataService(
          "graph-service", "NEUROGRAPH_GRAPH_CACHE_KEY_PREFIX", platform.prefix + ":graph:");
      CompletableFuture<Void> graphReady = CompletableFuture.runAsync(() -> platform.graphService.awaitReady(READY));
      platform.tokenService.awaitReady(READY);
      join(graphReady);
      platform.gateway = ServiceProcess.builder("gateway", platform.jars.locate("gateway"))
          .port(FreePorts.next())
          .logFile(platform.logs.resolve("gateway.log"))
          .env(platform.common())
          .env("NEUROGRAPH_GATEWAY_INSTANCE_ID", "gw-" + platform.prefix)
          .env("SPRING_DATA_REDIS_HOST", platform.redis.host())
          .env("SPRING_DATA_REDIS_PORT", String.valueOf(platform.redis.port()))
          .env("NEUROGRAPH_GATEWAY_CLIENT_RATE_LIMIT_KEY_PREFIX", platform.prefix + ":rate:")
          .start();
      platform.gateway.awaitReady(READY);
      return platform;
    } catch (RuntimeException | Error e) {
      platform.close();
      throw e;
    }
  }

  private static void join(CompletableFuture<Void> ready) {
    try {
      ready.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Starts the broker on this platform's ports and log directory (formatted on the first start only). */
  void startKafka() {
    broker = KafkaBroker.embedded(kafkaPort, controllerPort, kafkaLogDir);
  }

  /** Stops the broker the way a clean shutdown does; its ports are free again when this returns. */
  void stopKafka() {
    KafkaBroker running = broker;
    broker = null;
    if (running != null) {
      running.close();
    }
  }

  /** Whether anything still accepts connections on the broker's port. */
  boolean kafkaPortListening() {
    return Ports.isListening("127.0.0.1", kafkaPort);
  }

  /** The topic's full name under this platform's prefix, e.g. {@code tokens.commands}. */
  String topic(String suffix) {
    return prefix + "." + suffix;
  }

  /**
   * Every record on a topic right now, read from the beginning without a consumer group (so nothing of
   * the services' state changes); empty when the topic does not exist.
   */
  List<ConsumerRecord<String, String>> readAll(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        return records;
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(10)) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end " + ends);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private Map<String, String> common() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
    env.put("NEUROGRAPH_KAFKA_TOPIC_PREFIX", prefix);
    env.put("NEUROGRAPH_KAFKA_PARTITIONS", "3");
    return env;
  }

  /** Starts a service with a database and a cache of this test; the caller waits for it to be ready. */
  private ServiceProcess startDataService(String service, String cachePrefixVariable, String cachePrefix) {
    return ServiceProcess.builder(service, jars.locate(service))
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
  }

  ServiceProcess gateway() {
    return gateway;
  }

  ServiceProcess tokenService() {
    return tokenService;
  }

  ServiceProcess graphService() {
    return graphService;
  }

  /** The gateway's WebSocket endpoint with a query string (may be empty). */
  URI ws(String query) {
    return URI.create("ws://localhost:" + gateway.port() + "/ws" + query);
  }

  /** A JDBC connection to the services' database, for checking what was really stored. */
  Connection database() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /**
   * The last warnings and errors of each service's log, without the Kafka clients' reconnect chatter: the
   * logs stay in {@code target/}, which a CI run does not keep, so a failing test prints these.
   */
  String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (String service : List.of("gateway", "token-service", "graph-service")) {
      Path log = logs.resolve(service + ".log");
      List<String> lines;
      try {
        lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      } catch (IOException | UncheckedIOException e) {
        lines = List.of("unreadable: " + e);
      }
      List<String> notable = lines.stream()
          .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\""))
          .filter(line -> !line.contains("could not be established") && !line.contains("disconnected"))
          .map(line -> line.length() > 600 ? line.substring(0, 600) + "..." : line)
          .toList();
      out.append("----- ").append(service).append(": last warnings of ").append(notable.size()).append(" -----\n");
      notable.subList(Math.max(0, notable.size() - 40), notable.size())
          .forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  @Override
  public void close() {
    for (ServiceProcess service : new ServiceProcess[] {gateway, graphService, tokenService}) {
      if (service != null && service.isAlive()) {
        service.stop(Duration.ofSeconds(20));
      }
    }
    stopKafka();
  }
}
