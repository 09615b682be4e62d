package io.neurograph.graph.it;

import io.neurograph.testkit.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Plain JDBC against a test database, to check what the service stored independently of its own code. */
public final class Sql {

  private final PostgresDatabase database;

  /** Access to one test database. */
  public Sql(PostgresDatabase database) {
    this.database = database;
  }

  /** The single long value of a query. */
  public long number(String query, Object... args) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, query, args); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single text value of a query, or null without a row. */
  public String text(String query, Object... args) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, query, args); ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a statement. */
  public int update(String statement, Object... args) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, statement, args)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JDBC URL of the service's schema in a test database (the service keeps its tables in schema {@code graph}). */
  public static String jdbcUrl(PostgresDatabase database) {
    return database.jdbcUrl() + "?currentSchema=graph";
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), database.user(), database.password());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
    return s;
  }
}
