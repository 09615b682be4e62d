package io.neurograph.graph.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class FlywayFromR2dbcTest {

  @Test
  void flywayFollowsTheR2dbcSettingsWhenNotSetItself() {
    StandardEnvironment environment = environment(Map.of(
        "spring.r2dbc.url", "r2dbc:postgresql://db:5433/graph",
        "spring.r2dbc.username", "svc",
        "spring.r2dbc.password", "secret"));

    assertThat(environment.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://db:5433/graph");
    assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("svc");
    assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("secret");
  }

  @Test
  void explicitFlywaySettingsWin() {
    StandardEnvironment environment = environment(Map.of(
        "spring.r2dbc.url", "r2dbc:postgresql://db/graph",
        "spring.r2dbc.username", "svc",
        "spring.flyway.url", "jdbc:postgresql://admin-host/graph",
        "spring.flyway.user", "owner"));

    assertThat(environment.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://admin-host/graph");
    assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("owner");
  }

  @Test
  void settingsAddedLaterAreFollowed() {
    StandardEnvironment environment = environment(Map.of());
    assertThat(environment.getProperty("spring.flyway.url")).isNull();

    environment.getPropertySources().addFirst(
        new MapPropertySource("late", Map.of("spring.r2dbc.url", "r2dbc:postgresql://late/db")));

    assertThat(environment.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://late/db");
  }

  @Test
  void aNonPostgresUrlDerivesNothing() {
    assertThat(environment(Map.of("spring.r2dbc.url", "r2dbc:h2:mem:///db")).getProperty("spring.flyway.url"))
        .isNull();
  }

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(properties)));
    new FlywayFromR2dbc().postProcessEnvironment(environment, null);
    return environment;
  }
}
