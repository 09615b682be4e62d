package io.neurograph.gateway.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may connect and what they may do ({@code neurograph.auth.*}).
 *
 * @param mode {@code none} (everyone is {@code anonymous} and may do everything) or {@code jwt}
 * @param jwt how bearer tokens are verified in {@code jwt} mode
 * @param authDeadline a connection without a valid token this long after the handshake is closed with 4001
 * @param clockSkew tolerance applied to a token's {@code exp} and {@code nbf} when it is checked
 */
@Validated
@ConfigurationProperties("neurograph.auth")
public record AuthProperties(
    @DefaultValue("none") @NotNull Mode mode,
    @DefaultValue @Valid @NotNull Jwt jwt,
    @DefaultValue("5s") @NotNull Duration authDeadline,
    @DefaultValue("30s") @NotNull Duration clockSkew) {

  /** Smallest HS256 secret: the key must be as long as the hash (RFC 7518 §3.2). */
  static final int MIN_SECRET_BYTES = 32;

  /** Refuses to start with a {@code jwt} mode that could not verify anything. */
  public AuthProperties {
    if (mode == Mode.JWT && jwt != null) {
      boolean hasSecret = jwt.secret() != null && !jwt.secret().isBlank();
      if (!hasSecret && jwt.jwksUri() == null) {
        throw new IllegalArgumentException("neurograph.auth.mode=jwt needs neurograph.auth.jwt.secret "
            + "(NEUROGRAPH_AUTH_JWT_SECRET) or neurograph.auth.jwt.jwks-uri (NEUROGRAPH_AUTH_JWT_JWKS_URI)");
      }
      if (hasSecret && jwt.secret().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "neurograph.auth.jwt.secret must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
      }
    }
  }

  /** Whether tokens are checked at all. */
  public boolean enabled() {
    return mode == Mode.JWT;
  }

  /** Authentication modes. */
  public enum Mode {
    /** No authentication: every connection is {@code anonymous} and every request is allowed. */
    NONE,
    /** Bearer JWTs, verified with {@code jwt.secret} (HS256) or the keys at {@code jwt.jwks-uri}. */
    JWT
  }

  /**
   * Token verification.
   *
   * @param secret HS256 shared secret (UTF-8, at least 32 bytes); used when set
   * @param jwksUri JWK Set URL serving RS256/ES256 public keys; used when no secret is set
   * @param issuer when set, a token's {@code iss} must equal it
   * @param audience when set, a token's {@code aud} must contain it
   */
  public record Jwt(String secret, URI jwksUri, String issuer, String audience) {

    /** Hides the secret from anything that prints the configuration. */
    @Override
    public String toString() {
      return "Jwt[secret=" + (secret == null ? "unset" : "***") + ", jwksUri=" + jwksUri + ", issuer=" + issuer
          + ", audience=" + audience + "]";
    }
  }
}
