package io.neurograph.devstack.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A development JWT for a devstack whose gateway runs with {@code NEUROGRAPH_AUTH_MODE=jwt} and a shared
 * secret: HS256, subject {@value #SUBJECT}, every scope, valid {@link #LIFETIME}. Signed with the JDK's
 * HMAC so devstack needs no JWT library; it is for trying the platform out, never for production.
 */
public final class DevToken {

  /** Variable selecting the gateway's authentication mode. */
  public static final String ENV_MODE = "NEUROGRAPH_AUTH_MODE";
  /** Variable holding the HS256 shared secret. */
  public static final String ENV_SECRET = "NEUROGRAPH_AUTH_JWT_SECRET";
  /** Variable holding the expected issuer, when the gateway checks one. */
  public static final String ENV_ISSUER = "NEUROGRAPH_AUTH_JWT_ISSUER";
  /** Variable holding the expected audience, when the gateway checks one. */
  public static final String ENV_AUDIENCE = "NEUROGRAPH_AUTH_JWT_AUDIENCE";
  /** Subject of the development token. */
  public static final String SUBJECT = "devstack";
  /** Every scope the platform knows. */
  public static final String SCOPES = "tokens:read tokens:write graph:read graph:write admin";
  /** How long the token is valid. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private DevToken() {}

  /** A token when the environment asks for JWT mode with a shared secret; empty otherwise. */
  public static Optional<String> fromEnvironment(Map<String, String> env, Instant now) {
    String secret = env.get(ENV_SECRET);
    if (!"jwt".equalsIgnoreCase(env.getOrDefault(ENV_MODE, "")) || secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(sign(secret, SUBJECT, SCOPES, env.get(ENV_ISSUER), env.get(ENV_AUDIENCE), now, LIFETIME));
  }

  /**
   * An HS256 token for {@code subject} with the given space-separated scopes, issued at {@code now} and
   * valid for {@code lifetime}; issuer and audience only when not blank.
   */
  public static String sign(String secret, String subject, String scopes, String issuer, String audience,
      Instant now, Duration lifetime) {
    StringBuilder claims = new StringBuilder()
        .append("{\"sub\":\"").append(jsonEscaped(subject)).append('"')
        .append(",\"scope\":\"").append(jsonEscaped(scopes)).append('"')
        .append(",\"iat\":").append(now.getEpochSecond())
        .append(",\"exp\":").append(now.plus(lifetime).getEpochSecond());
    if (issuer != null && !issuer.isBlank()) {
      claims.append(",\"iss\":\"").append(jsonEscaped(issuer)).append('"');
    }
    if (audience != null && !audience.isBlank()) {
      claims.append(",\"aud\":\"").append(jsonEscaped(audience)).append('"');
    }
    claims.append('}');
    String signingInput = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
    return signingInput + "." + BASE64URL.encodeToString(hmacSha256(secret, signingInput));
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmacSha256(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String jsonEscaped(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
