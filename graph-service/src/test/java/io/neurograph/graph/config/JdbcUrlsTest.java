package io.neurograph.graph.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  @Test
  void translatesTheR2dbcPostgresForms() {
    assertThat(JdbcUrls.fromR2dbc("r2dbc:postgresql://localhost:5432/neurograph"))
        .contains("jdbc:postgresql://localhost:5432/neurograph");
    assertThat(JdbcUrls.fromR2dbc("r2dbc:pool:postgresql://h/db?connectTimeout=PT5S"))
        .contains("jdbc:postgresql://h/db?connectTimeout=PT5S");
    assertThat(JdbcUrls.fromR2dbc("r2dbc:postgres://h/db")).contains("jdbc:postgresql://h/db");
  }

  @Test
  void tlsUrlsRequireSsl() {
    assertThat(JdbcUrls.fromR2dbc("r2dbcs:postgresql://h/db")).contains("jdbc:postgresql://h/db?sslmode=require");
    assertThat(JdbcUrls.fromR2dbc("r2dbcs:postgresql://h/db?a=b")).contains("jdbc:postgresql://h/db?a=b&sslmode=require");
    assertThat(JdbcUrls.fromR2dbc("r2dbcs:postgresql://h/db?sslmode=verify-full"))
        .contains("jdbc:postgresql://h/db?sslmode=verify-full");
  }

  @Test
  void otherUrlsAreNotTranslated() {
    assertThat(JdbcUrls.fromR2dbc("r2dbc:h2:mem:///db")).isEmpty();
    assertThat(JdbcUrls.fromR2dbc("jdbc:postgresql://h/db")).isEmpty();
    assertThat(JdbcUrls.fromR2dbc(null)).isEmpty();
  }
}
