package io.neurograph.testkit;

/** Coordinates of one PostgreSQL database created for a test. */
public record PostgresDatabase(String host, int port, String database, String user, String password) {

  /** JDBC URL (Flyway). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** R2DBC URL (services). */
  public String r2dbcUrl() {
    return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
