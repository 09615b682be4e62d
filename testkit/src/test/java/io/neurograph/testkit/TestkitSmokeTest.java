package io.neurograph.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestkitSmokeTest {

  @Test
  void kafkaCarriesARecord() throws Exception {
    String topic = "smoke-" + UUID.randomUUID();
    String bootstrap = TestKafka.bootstrapServers();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(), new StringSerializer());
        var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
            "group.id", topic, "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
      consumer.subscribe(List.of(topic));
      String seen = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen == null && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        for (var r : records) {
          seen = r.value();
        }
      }
      assertThat(seen).isEqualTo("hello");
    }
  }

  @Test
  void postgresGivesEachTestItsOwnDatabase() throws Exception {
    PostgresDatabase a = TestPostgres.newDatabase("smoke");
    PostgresDatabase b = TestPostgres.newDatabase("smoke");
    assertThat(a.database()).isNotEqualTo(b.database());
    try (Connection c = DriverManager.getConnection(a.jdbcUrl(), a.user(), a.password());
        ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(a.database());
    }
  }

  @Test
  void redisAnswersAndADedicatedOneCanBeStoppedAndStarted() throws Exception {
    assertThat(ping(TestRedis.shared())).isEqualTo("+PONG");
    try (StoppableRedis redis = StoppableRedis.start()) {
      assertThat(ping(redis.endpoint())).isEqualTo("+PONG");
      redis.pause();
      assertThat(canConnect(redis.endpoint())).isFalse();
      redis.resume();
      assertThat(ping(redis.endpoint())).isEqualTo("+PONG");
    }
  }

  private static String ping(RedisEndpoint endpoint) throws Exception {
    try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  private static boolean canConnect(RedisEndpoint endpoint) {
    try (Socket ignored = new Socket(endpoint.host(), endpoint.port())) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
