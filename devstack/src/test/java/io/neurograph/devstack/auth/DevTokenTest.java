package io.neurograph.devstack.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DevTokenTest {

  static final String SECRET = "a-development-secret-of-at-least-32-bytes";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void onlyJwtModeWithASecretGetsAToken() {
    assertThat(DevToken.fromEnvironment(Map.of(), NOW)).isEmpty();
    assertThat(DevToken.fromEnvironment(Map.of("NEUROGRAPH_AUTH_MODE", "none", "NEUROGRAPH_AUTH_JWT_SECRET", SECRET), NOW))
        .isEmpty();
    assertThat(DevToken.fromEnvironment(Map.of("NEUROGRAPH_AUTH_MODE", "jwt"), NOW)).isEmpty();
    assertThat(DevToken.fromEnvironment(Map.of("NEUROGRAPH_AUTH_MODE", "jwt", "NEUROGRAPH_AUTH_JWT_SECRET", SECRET), NOW))
        .isPresent();
  }

  @Test
  void theTokenIsAnHs256JwtWithEveryScopeSignedWithTheSecret() throws Exception {
    String token = DevToken.fromEnvironment(Map.of("NEUROGRAPH_AUTH_MODE", "jwt", "NEUROGRAPH_AUTH_JWT_SECRET", SECRET,
        "NEUROGRAPH_AUTH_JWT_ISSUER", "https://issuer.example", "NEUROGRAPH_AUTH_JWT_AUDIENCE", "neurograph"), NOW)
        .orElseThrow();
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);

    JsonNode header = Json.parse(decode(parts[0]));
    assertThat(header.get("alg").stringValue()).isEqualTo("HS256");
    JsonNode claims = Json.parse(decode(parts[1]));
    assertThat(claims.get("sub").stringValue()).isEqualTo("devstack");
    assertThat(claims.get("scope").stringValue().split(" "))
        .containsExactlyInAnyOrder("tokens:read", "tokens:write", "graph:read", "graph:write", "admin");
    assertThat(claims.get("iat").longValue()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.get("exp").longValue()).isEqualTo(NOW.getEpochSecond() + 12 * 3600);
    assertThat(claims.get("iss").stringValue()).isEqualTo("https://issuer.example");
    assertThat(claims.get("aud").stringValue()).isEqualTo("neurograph");

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
    assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }
}
