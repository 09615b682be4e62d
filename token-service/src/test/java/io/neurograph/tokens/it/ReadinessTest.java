package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.FreePorts;
import io.neurograph.testkit.PostgresDatabase;
import io.neurograph.testkit.RedisEndpoint;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.TestPostgres;
import io.neurograph.testkit.TestRedis;
import io.neurograph.tokens.TokenServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The readiness probe needs PostgreSQL and Kafka, the liveness probe neither: a service started against a
 * closed port for one of them is alive but not ready. Each case starts a service of its own.
 */
class ReadinessTest {

  private static final PostgresDatabase DATABASE = TestPostgres.newDatabase("tokens_ready");

  @Test
  void notReadyWhilePostgresqlIsUnreachable() throws Exception {
    // Flyway migrates the real database; the service's own R2DBC connections go to a closed port.
    try (ConfigurableApplicationContext service = start(
        "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + FreePorts.next() + "/" + DATABASE.database(),
        "--spring.flyway.url=" + DATABASE.jdbcUrl(),
        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers())) {
      HttpResponse<String> readiness = get(service, "/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body()).contains("\"r2dbc\":{\"status\":\"DOWN\"").contains("\"kafka\":{\"status\":\"UP\"");
      assertThat(get(service, "/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void notReadyWhileKafkaIsUnreachable() throws Exception {
    try (ConfigurableApplicationContext service = start(
        "--spring.r2dbc.url=" + DATABASE.r2dbcUrl(),
        "--spring.kafka.bootstrap-servers=127.0.0.1:" + FreePorts.next(),
        // Nothing to declare topics on; do not wait for it at start-up.
        "--spring.kafka.admin.auto-create=false")) {
      HttpResponse<String> readiness = get(service, "/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body()).contains("\"kafka\":{\"status\":\"DOWN\"").contains("\"r2dbc\":{\"status\":\"UP\"");
      assertThat(get(service, "/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
  }

  private static ConfigurableApplicationContext start(String... connections) {
    RedisEndpoint redis = TestRedis.shared();
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> args = new ArrayList<>(List.of(connections));
    args.addAll(List.of(
        "--server.port=0",
        "--spring.r2dbc.username=" + DATABASE.user(),
        "--spring.r2dbc.password=" + DATABASE.password(),
        "--spring.data.redis.host=" + redis.host(),
        "--spring.data.redis.port=" + redis.port(),
        "--neurograph.kafka.topic-prefix=ready-" + run,
        "--neurograph.tokens.cache.key-prefix=ready:" + run + ":",
        "--management.endpoint.health.group.readiness.show-components=always"));
    return new SpringApplicationBuilder(TokenServiceApplication.class).run(args.toArray(String[]::new));
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext service, String path) throws Exception {
    String port = service.getEnvironment().getRequiredProperty("local.server.port");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
