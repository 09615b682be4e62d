package io.neurograph.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL server per test JVM, started on first use: the server named by
 * {@code NEUROGRAPH_TEST_POSTGRES_URL} (+ {@code _USER}, {@code _PASSWORD}), else Testcontainers when
 * Docker is present, else embedded binaries (zonky). Each test asks for a database of its own.
 */
public final class TestPostgres {

  /** Environment variable: JDBC URL of an external server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
  public static final String ENV_URL = "NEUROGRAPH_TEST_POSTGRES_URL";

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static PostgresDatabase admin;

  private TestPostgres() {}

  /** A new, empty database with a unique name, owned by the admin user. */
  public static PostgresDatabase newDatabase(String prefix) {
    PostgresDatabase server = server();
    String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new PostgresDatabase(server.host(), server.port(), name, server.user(), server.password());
  }

  /** The admin database of the shared server. */
  public static synchronized PostgresDatabase server() {
    if (admin == null) {
      admin = start();
    }
    return admin;
  }

  private static PostgresDatabase start() {
    String url = System.getenv(ENV_URL);
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url.substring("jdbc:".length()));
      String user = envOr("NEUROGRAPH_TEST_POSTGRES_USER", "postgres");
      String password = envOr("NEUROGRAPH_TEST_POSTGRES_PASSWORD", "postgres");
      log.info("Using external PostgreSQL at {}:{}", uri.getHost(), uri.getPort());
      return new PostgresDatabase(uri.getHost(), uri.getPort(), uri.getPath().substring(1), user, password);
    }
    if (Docker.available()) {
      var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "testkit-postgres-stop"));
      return new PostgresDatabase(container.getHost(), container.getFirstMappedPort(),
          container.getDatabaseName(), container.getUsername(), container.getPassword());
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg), "testkit-postgres-stop"));
      log.info("Started embedded PostgreSQL on port {}", pg.getPort());
      return new PostgresDatabase("127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static void close(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
