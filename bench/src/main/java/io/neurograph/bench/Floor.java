package io.neurograph.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The physical floor of a command round trip on the same broker and database: produce to topic A, consume it,
 * insert the payload into PostgreSQL in one transaction, produce to topic B, consume it. Each message is timed
 * from its due time (open loop, same rate and payload size as the round trip) to its arrival from B.
 */
final class Floor {

  /** As the platform's topics (neurograph.kafka.partitions). */
  private static final int PARTITIONS = 6;

  private Floor() {}

  static Map<String, Object> run(BenchOptions options, String run, int rate) throws Exception {
    String topicA = "bench.floor." + run + ".a";
    String topicB = "bench.floor." + run + ".b";
    String payload = Frames.tokenCreate("c0000000", "bench-" + run + "-roundtrip-" + rate, 0);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.kafka))) {
      admin.createTopics(List.of(new NewTopic(topicA, PARTITIONS, (short) 1), new NewTopic(topicB, PARTITIONS, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    try (Connection db = DriverManager.getConnection(options.postgres, options.postgresUser, options.postgresPassword);
        Statement ddl = db.createStatement()) {
      ddl.execute("CREATE SCHEMA IF NOT EXISTS bench");
      ddl.execute("CREATE TABLE IF NOT EXISTS bench.floor (id bigserial PRIMARY KEY, k text NOT NULL,"
          + " v jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
    }
    Recorder recorder = new Recorder(3);
    LongAdder arrived = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    long measureFrom = start + options.warmup.toNanos();
    long sent;
    List<Connection> databases = new ArrayList<>();
    List<KafkaConsumer<String, String>> serviceConsumers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(options.kafka);
        KafkaProducer<String, String> serviceProducer = producer(options.kafka);
        KafkaConsumer<String, String> replyConsumer = consumer(options.kafka, topicB, IntStream.range(0, PARTITIONS))) {
      // One stand-in service thread per partition, each with its own connection, as a service that keeps per-key
      // order would run at most; one thread for all would measure a queue, not the floor.
      for (int partition = 0; partition < PARTITIONS; partition++) {
        Connection db = DriverManager.getConnection(options.postgres, options.postgresUser, options.postgresPassword);
        db.setAutoCommit(false);
        databases.add(db);
        KafkaConsumer<String, String> in = consumer(options.kafka, topicA, IntStream.of(partition));
        serviceConsumers.add(in);
        threads.add(new Thread(() -> serve(in, serviceProducer, db, topicB, failure), "floor-service-" + partition));
      }
      threads.add(new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            for (ConsumerRecord<String, String> record : replyConsumer.poll(Duration.ofMillis(100))) {
              long due = ByteBuffer.wrap(record.headers().lastHeader("due").value()).getLong();
              arrived.increment();
              if (due >= measureFrom) {
                recorder.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
              }
            }
          }
        } catch (InterruptException stopped) {
          // the run is over
        }
      }, "floor-replies"));
      threads.forEach(Thread::start);
      sent = OpenLoop.run(rate, start, options.warmup.plus(options.duration), (sequence, due) -> {
        ProducerRecord<String, String> record = new ProducerRecord<>(topicA, "k" + sequence, payload);
        record.headers().add("due", ByteBuffer.allocate(8).putLong(due).array());
        producer.send(record);
      });
      long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (arrived.sum() < sent && System.nanoTime() < graceEnd && failure.get() == null) {
        OpenLoop.waitUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
      }
      threads.forEach(Thread::interrupt);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    } finally {
      serviceConsumers.forEach(KafkaConsumer::close);
      for (Connection db : databases) {
        db.close();
      }
    }
    try (Connection db = DriverManager.getConnection(options.postgres, options.postgresUser, options.postgresPassword);
        Statement cleanup = db.createStatement()) {
      cleanup.execute("DROP TABLE IF EXISTS bench.floor");
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.kafka))) {
      admin.deleteTopics(List.of(topicA, topicB)).all().get(30, TimeUnit.SECONDS);
    }
    Histogram histogram = recorder.getIntervalHistogram();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("rate", rate);
    result.put("payload_bytes", payload.getBytes(StandardCharsets.UTF_8).length);
    result.put("pipeline", "produce A -> consume A -> INSERT + COMMIT (PostgreSQL) -> produce B -> consume B;"
        + " producers as the gateway's (acks=all, idempotent, linger.ms=1); 6 partitions, one service thread and"
        + " database connection per partition");
    result.put("sent", sent);
    result.put("arrived", arrived.sum());
    result.put("errors", sent - arrived.sum() + (failure.get() == null ? 0 : 1));
    result.put("failure", failure.get() == null ? null : failure.get().toString());
    result.putAll(Latency.summary(histogram));
    return result;
  }

  /** The stand-in service: one transaction per message, like a command handler that stores what it got. */
  private static void serve(KafkaConsumer<String, String> in, KafkaProducer<String, String> out, Connection db,
      String topicB, AtomicReference<Throwable> failure) {
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO bench.floor (k, v) VALUES (?, CAST(? AS jsonb))")) {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, String> record : in.poll(Duration.ofMillis(100))) {
          insert.setString(1, record.key());
          insert.setString(2, record.value());
          insert.executeUpdate();
          db.commit();
          ProducerRecord<String, String> reply = new ProducerRecord<>(topicB, record.key(), record.value());
          reply.headers().add(record.headers().lastHeader("due"));
          out.send(reply);
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        failure.set(e);
      }
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(p);
  }

  /** A group-less consumer on the given partitions of {@code topic}, positioned at its end before anything is sent. */
  private static KafkaConsumer<String, String> consumer(String bootstrap, String topic, IntStream partitionNumbers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = partitionNumbers.mapToObj(i -> new TopicPartition(topic, i)).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }
}
