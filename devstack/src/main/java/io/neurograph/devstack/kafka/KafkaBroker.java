package io.neurograph.devstack.kafka;

import io.neurograph.devstack.support.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker for devstack: either an external one named by its bootstrap servers, or a real single-node
 * KRaft broker (combined broker + controller) running inside this JVM.
 */
public final class KafkaBroker implements AutoCloseable {

  /** Environment variable naming an external broker ({@code host:port[,host:port]}). */
  public static final String ENV_BOOTSTRAP = "NEUROGRAPH_KAFKA_BOOTSTRAP";
  /** The port an embedded broker takes when it is free. */
  public static final int DEFAULT_PORT = 9092;

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final String bootstrapServers;
  private final KafkaRaftServer server;
  private final Path logDir;

  private KafkaBroker(String bootstrapServers, KafkaRaftServer server, Path logDir) {
    this.bootstrapServers = bootstrapServers;
    this.server = server;
    this.logDir = logDir;
  }

  /** A broker devstack does not manage; fails fast when none of its bootstrap servers accepts a connection. */
  public static KafkaBroker external(String bootstrapServers) {
    boolean answers = Arrays.stream(bootstrapServers.split(","))
        .map(String::trim)
        .anyMatch(KafkaBroker::acceptsConnections);
    if (!answers) {
      throw new IllegalStateException("external Kafka " + bootstrapServers
          + " does not answer: no bootstrap server accepts connections");
    }
    log.info("Using external Kafka at {}", bootstrapServers);
    return new KafkaBroker(bootstrapServers, null, null);
  }

  private static boolean acceptsConnections(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    try {
      return Ports.isListening(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** {@link #embedded(int, int, Path)} on free ports, e.g. for a test. */
  public static KafkaBroker embedded(Path logDir) {
    return embedded(Ports.free(), Ports.free(), logDir);
  }

  /**
   * Starts a KRaft broker on 127.0.0.1:{@code port}, its controller on {@code controllerPort}, keeping its log
   * in {@code logDir}. A directory formatted by an earlier run is reused with its topics; ports may differ.
   */
  public static KafkaBroker embedded(int port, int controllerPort, Path logDir) {
    long started = System.nanoTime();
    Map<String, String> config = brokerConfig(port, controllerPort, logDir);
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logDir, e);
    }
    KafkaConfig kafkaConfig = new KafkaConfig(config, false);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(logDir);
    }
    KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    try {
      // Returns once the broker is unfenced and serves requests.
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      server.awaitShutdown();
      throw e;
    }
    String bootstrap = "127.0.0.1:" + port;
    log.info("Kafka broker (KRaft) up at {} in {} ms, data in {}", bootstrap,
        (System.nanoTime() - started) / 1_000_000, logDir);
    return new KafkaBroker(bootstrap, server, logDir);
  }

  /** The broker configuration: loopback only, one node, replication factor 1 everywhere. */
  static Map<String, String> brokerConfig(int port, int controllerPort, Path logDir) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", String.valueOf(NODE_ID));
    // A static voter set: unlike a dynamic quorum it does not record the controller's address in the log,
    // so a kept --data-dir still works when the controller port differs next time.
    c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    c.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    c.put("controller.listener.names", CONTROLLER_LISTENER);
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    c.put("log.dirs", logDir.toAbsolutePath().toString());
    c.put("num.partitions", "6");
    c.put("default.replication.factor", "1");
    c.put("auto.create.topics.enable", "true");
    // A new consumer group should not wait 3 s for more members on a laptop.
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put("offsets.topic.replication.factor", "1");
    // Fewer internal partitions than the production default (50): the first consumer group comes up faster.
    c.put("offsets.topic.num.partitions", "6");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("transaction.state.log.num.partitions", "6");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    return c;
  }

  private static void format(Path logDir) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      // What `kafka-storage format -t <random> -c server.properties` does for a static quorum.
      new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
          .addDirectory(logDir.toAbsolutePath().toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
    log.debug("Formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).trim());
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Whether devstack runs this broker (and stops it on close). */
  public boolean isEmbedded() {
    return server != null;
  }

  /** Where an embedded broker keeps its log; null for an external one. */
  public Path logDir() {
    return logDir;
  }

  /** Stops an embedded broker and waits until it has closed its log; nothing for an external one. */
  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }
}
