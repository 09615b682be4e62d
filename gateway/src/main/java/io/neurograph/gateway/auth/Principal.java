package io.neurograph.gateway.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is on a connection, and what they may do.
 *
 * @param subject the token's {@code sub}, or {@code anonymous}
 * @param scopes granted scopes (from {@code scope} or {@code scp})
 * @param expiresAt when the token stops being valid; {@code null} when it does not expire
 * @param unrestricted true only for the anonymous principal of mode {@code none}: every scope is granted
 */
public record Principal(String subject, Set<String> scopes, Instant expiresAt, boolean unrestricted) {

  /** Everyone, while authentication is off. */
  public static final Principal ANONYMOUS = new Principal("anonymous", Set.of(), null, true);

  /** Normalises the scope set. */
  public Principal {
    scopes = Set.copyOf(scopes);
  }

  /** Whether this principal holds {@code scope}. */
  public boolean has(String scope) {
    return unrestricted || scopes.contains(scope);
  }

  /**
   * The principal recorded on Kafka commands: the subject, or {@code null} while authentication is off
   * (the command contract's "no authenticated subject").
   */
  public String commandPrincipal() {
    return unrestricted ? null : subject;
  }

  /** {@code expires_at} as the protocol sends it: epoch milliseconds, or null. */
  public Long expiresAtMillis() {
    return expiresAt == null ? null : expiresAt.toEpochMilli();
  }
}
