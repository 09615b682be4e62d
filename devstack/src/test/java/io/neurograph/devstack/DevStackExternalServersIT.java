package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.devstack.support.Ports;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.StoppableRedis;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers named by NEUROGRAPH_* variables are used as they are: nothing embedded starts, nothing external stops. */
class DevStackExternalServersIT {

  @TempDir
  Path work;

  @Test
  void usesTheExternalServersAndStartsNoneOfItsOwn() throws Exception {
    try (StoppableRedis redis = StoppableRedis.start()) {
      PostgresDatabase database = TestPostgres.newDatabase("devstack");
      String kafka = TestKafka.bootstrapServers();
      Map<String, String> env = Map.of(
          "NEUROGRAPH_KAFKA_BOOTSTRAP", kafka,
          "NEUROGRAPH_POSTGRES_URL", database.jdbcUrl(),
          "NEUROGRAPH_POSTGRES_USER", database.user(),
          "NEUROGRAPH_POSTGRES_PASSWORD", database.password(),
          "NEUROGRAPH_REDIS_URL", redis.endpoint().url());

      try (DevStackProcess devstack = DevStackProcess.start(work, env, "--infra-only",
          "--logs-dir", work.resolve("logs").toString())) {
        devstack.awaitLine(l -> l.startsWith("export SPRING_DATA_REDIS_PORT="));

        assertThat(devstack.exports())
            .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka)
            .containsEntry("SPRING_R2DBC_URL", database.r2dbcUrl())
            .containsEntry("SPRING_R2DBC_USERNAME", database.user())
            .containsEntry("SPRING_R2DBC_PASSWORD", database.password())
            .containsEntry("SPRING_DATA_REDIS_HOST", redis.endpoint().host())
            .containsEntry("SPRING_DATA_REDIS_PORT", String.valueOf(redis.endpoint().port()));
        // An embedded Redis would be a child process of devstack.
        assertThat(devstack.handle().descendants().map(p -> p.info().command().orElse("?")))
            .noneMatch(command -> command.contains("redis-server"));
        assertThat(devstack.stderr())
            .contains("Using external Kafka", "Using external PostgreSQL", "Using external Redis")
            .doesNotContain("Kafka broker (KRaft) up", "PostgreSQL up", "Redis up");

        devstack.terminate();
        assertThat(devstack.awaitExit(Duration.ofSeconds(60))).isZero();
      }

      assertThat(DevStackInfraOnlyIT.ping(redis.endpoint().host(), redis.endpoint().port()))
          .as("the external Redis keeps running").isEqualTo("+PONG");
      try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
        assertThat(c.isValid(5)).as("the external PostgreSQL keeps running").isTrue();
      }
      assertThat(DevStackInfraOnlyIT.kafkaRoundTrip(kafka)).as("the external Kafka keeps running")
          .isEqualTo("hello devstack");
    }
  }

  @Test
  void failsFastWhenAnExternalServerDoesNotAnswer() throws Exception {
    PostgresDatabase database = TestPostgres.newDatabase("devstack");
    int nobodyListens = Ports.free();
    Map<String, String> env = Map.of(
        "NEUROGRAPH_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers(),
        "NEUROGRAPH_POSTGRES_URL", database.jdbcUrl(),
        "NEUROGRAPH_POSTGRES_USER", database.user(),
        "NEUROGRAPH_POSTGRES_PASSWORD", database.password(),
        "NEUROGRAPH_REDIS_URL", "redis://127.0.0.1:" + nobodyListens);

    try (DevStackProcess devstack = DevStackProcess.start(work, env, "--infra-only",
        "--logs-dir", work.resolve("logs").toString())) {
      assertThat(devstack.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
      assertThat(devstack.stderr()).contains("external Redis redis://127.0.0.1:" + nobodyListens + " does not answer");
      assertThat(devstack.stdout()).noneMatch(l -> l.startsWith("export "));
    }
  }
}
