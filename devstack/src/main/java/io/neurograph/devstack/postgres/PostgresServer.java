package io.neurograph.devstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server for devstack: either an external one named by a JDBC URL, or embedded binaries
 * (zonky, PostgreSQL 14) on a free port with a database {@value #DATABASE}.
 */
public final class PostgresServer implements AutoCloseable {

  /** Environment variable: JDBC URL of an external server, {@code jdbc:postgresql://host:port/db}. */
  public static final String ENV_URL = "NEUROGRAPH_POSTGRES_URL";
  /** Environment variable: user for {@link #ENV_URL} (default {@code postgres}). */
  public static final String ENV_USER = "NEUROGRAPH_POSTGRES_USER";
  /** Environment variable: password for {@link #ENV_URL} (default {@code postgres}). */
  public static final String ENV_PASSWORD = "NEUROGRAPH_POSTGRES_PASSWORD";
  /** The database devstack creates in an embedded server. */
  public static final String DATABASE = "neurograph";

  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
  private static final String JDBC_PREFIX = "jdbc:postgresql://";

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;

  private PostgresServer(String host, int port, String database, String user, String password,
      EmbeddedPostgres embedded) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  /** A server devstack does not manage; fails fast when it cannot log in. */
  public static PostgresServer external(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
      throw new IllegalArgumentException(ENV_URL + " must look like " + JDBC_PREFIX + "host:port/database, not " + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (uri.getHost() == null || path.length() <= 1) {
      throw new IllegalArgumentException(ENV_URL + " must name a host and a database: " + jdbcUrl);
    }
    PostgresServer server = new PostgresServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432,
        path.substring(1), user, password, null);
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      if (!c.isValid(10)) {
        throw new SQLException("the connection is not valid");
      }
      log.info("Using external PostgreSQL at {} as {}", jdbcUrl, user);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the external PostgreSQL " + jdbcUrl + " as " + user
          + ": " + e.getMessage(), e);
    }
    return server;
  }

  /**
   * Starts embedded PostgreSQL on a free port with its server log in {@code logFile}. With
   * {@code keep = true} the data in {@code dataDir} survives and is reused by the next start; otherwise the
   * directory is deleted on close.
   */
  public static PostgresServer embedded(Path dataDir, boolean keep, Path logFile) {
    return embedded(dataDir, keep, logFile, 0);
  }

  /**
   * As {@link #embedded(Path, boolean, Path)}, on {@code port} ({@code 0}: a free one). A fault test stops
   * the server and starts it again on the same port with the same data, as a database restart looks to
   * the services.
   */
  public static PostgresServer embedded(Path dataDir, boolean keep, Path logFile, int port) {
    long started = System.nanoTime();
    ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres pg;
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      pg = builder
          .setDataDirectory(dataDir.toFile())
          .setCleanDataDirectory(!keep)
          // devstack stops it in order (after the services); zonky's own hook would race with that.
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(120))
          .setOutputRedirector(toLog)
          .setErrorRedirector(toLog)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL (see " + logFile + ")", e);
    }
    PostgresServer server = new PostgresServer("127.0.0.1", pg.getPort(), DATABASE, "postgres", "postgres", pg);
    try {
      server.createDatabaseIfMissing();
    } catch (SQLException e) {
      server.close();
      throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
    log.info("PostgreSQL up at {} in {} ms, data in {}{}", server.jdbcUrl(), (System.nanoTime() - started) / 1_000_000,
        dataDir, keep ? " (kept)" : "");
    return server;
  }

  private void createDatabaseIfMissing() throws SQLException {
    String admin = JDBC_PREFIX + host + ":" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(admin, user, password);
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + database);
      }
    }
  }

  /** Host name or address. */
  public String host() {
    return host;
  }

  /** TCP port. */
  public int port() {
    return port;
  }

  /** The database the services use. */
  public String database() {
    return database;
  }

  /** Login user. */
  public String user() {
    return user;
  }

  /** Login password. */
  public String password() {
    return password;
  }

  /** {@code jdbc:postgresql://host:port/database}. */
  public String jdbcUrl() {
    return JDBC_PREFIX + host + ":" + port + "/" + database;
  }

  /** {@code r2dbc:postgresql://host:port/database}, what the services take. */
  public String r2dbcUrl() {
    return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Whether devstack runs this server (and stops it on close). */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Stops an embedded server (fast shutdown); nothing for an external one. */
  @Override
  public void close() {
    if (embedded == null) {
      return;
    }
    try {
      embedded.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
