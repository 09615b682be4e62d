package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.devstack.support.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --infra-only} starts real servers, prints how to reach them, and stops them all on SIGTERM. */
class DevStackInfraOnlyIT {

  @TempDir
  Path work;

  @Test
  void startsRealKafkaPostgresAndRedisAndStopsThemOnSigterm() throws Exception {
    Path logs = work.resolve("logs");
    try (DevStackProcess devstack = DevStackProcess.start(work, Map.of(), "--infra-only", "--logs-dir", logs.toString())) {
      devstack.awaitLine(l -> l.startsWith("export SPRING_DATA_REDIS_PORT="));
      Map<String, String> env = devstack.exports();
      assertThat(env).containsOnlyKeys("SPRING_KAFKA_BOOTSTRAP_SERVERS", "SPRING_R2DBC_URL", "SPRING_R2DBC_USERNAME",
          "SPRING_R2DBC_PASSWORD", "SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT");
      assertThat(env.get("SPRING_R2DBC_URL")).matches("r2dbc:postgresql://127\\.0\\.0\\.1:\\d+/neurograph");
      assertThat(env).containsEntry("SPRING_R2DBC_USERNAME", "postgres").containsEntry("SPRING_R2DBC_PASSWORD", "postgres")
          .containsEntry("SPRING_DATA_REDIS_HOST", "127.0.0.1");

      String bootstrap = env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS");
      assertThat(kafkaRoundTrip(bootstrap)).isEqualTo("hello devstack");

      String jdbcUrl = "jdbc:" + env.get("SPRING_R2DBC_URL").substring("r2dbc:".length());
      try (Connection c = DriverManager.getConnection(jdbcUrl, env.get("SPRING_R2DBC_USERNAME"),
              env.get("SPRING_R2DBC_PASSWORD"));
          ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }

      int redisPort = Integer.parseInt(env.get("SPRING_DATA_REDIS_PORT"));
      assertThat(ping(env.get("SPRING_DATA_REDIS_HOST"), redisPort)).isEqualTo("+PONG");

      devstack.terminate();
      assertThat(devstack.awaitExit(Duration.ofSeconds(60))).isZero();

      int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
      int postgresPort = URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
      assertThat(Ports.isListening("127.0.0.1", kafkaPort)).as("Kafka port closed").isFalse();
      assertThat(Ports.isListening("127.0.0.1", postgresPort)).as("PostgreSQL port closed").isFalse();
      assertThat(Ports.isListening("127.0.0.1", redisPort)).as("Redis port closed").isFalse();
      assertThat(devstack.stderr()).contains("Stopped Redis", "Stopped PostgreSQL", "Stopped Kafka",
          "Deleted temporary data directory");
      assertThat(logs.resolve("postgres.log")).exists();
      assertThat(logs.resolve("redis.log")).exists();
    }
  }

  static String kafkaRoundTrip(String bootstrap) throws Exception {
    String topic = "devstack-it-" + UUID.randomUUID();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(), new StringSerializer());
        var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "group.id", topic,
            "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      producer.send(new ProducerRecord<>(topic, "key", "hello devstack")).get();
      consumer.subscribe(List.of(topic));
      List<String> seen = new ArrayList<>();
      await("the record comes back").atMost(Duration.ofSeconds(90)).pollInSameThread().until(() -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.value());
        }
        return !seen.isEmpty();
      });
      return seen.get(0);
    }
  }

  static String ping(String host, int port) throws Exception {
    try (Socket socket = new Socket(host, port)) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }
}
