package io.neurograph.graph.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Translation of an R2DBC PostgreSQL URL into the JDBC URL Flyway needs. */
public final class JdbcUrls {

  // r2dbc:postgresql://, r2dbcs:postgresql:// (TLS) and the pooled r2dbc:pool:postgresql:// forms.
  private static final Pattern R2DBC_POSTGRES =
      Pattern.compile("^(r2dbcs?):(?:pool:)?postgres(?:ql)?://(.+)$", Pattern.CASE_INSENSITIVE);

  private JdbcUrls() {}

  /**
   * The JDBC URL of the same database, or empty when the URL is not an R2DBC PostgreSQL URL. Host, port,
   * database and query parameters are kept; {@code r2dbcs} (TLS) adds {@code sslmode=require} unless the
   * URL already names an SSL mode.
   */
  public static Optional<String> fromR2dbc(String r2dbcUrl) {
    if (r2dbcUrl == null) {
      return Optional.empty();
    }
    Matcher m = R2DBC_POSTGRES.matcher(r2dbcUrl.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String rest = m.group(2);
    String jdbc = "jdbc:postgresql://" + rest;
    boolean tls = m.group(1).equalsIgnoreCase("r2dbcs");
    if (tls && !rest.toLowerCase(java.util.Locale.ROOT).contains("sslmode=")) {
      jdbc += (rest.contains("?") ? "&" : "?") + "sslmode=require";
    }
    return Optional.of(jdbc);
  }
}
