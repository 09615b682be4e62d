package io.neurograph.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Verifies bearer JWTs without blocking: signature (HS256 secret, or RS256/ES256 keys fetched reactively
 * from the JWKS URI and cached by Nimbus), expiry and not-before with the configured clock skew, and the
 * optional issuer and audience. Turns a valid token into a {@link Principal}.
 */
@Component
public class TokenVerifier {

  /** Why a token was refused; the message is safe to show a client (no token content). */
  public static final class InvalidToken extends RuntimeException {
    InvalidToken(String message) {
      super(message, null, false, false);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(TokenVerifier.class);

  /** A JWKS server that does not answer must not hold a handshake or an auth frame forever. */
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);

  private final ReactiveJwtDecoder decoder;

  /** Builds the decoder for mode {@code jwt}; in mode {@code none} every token is refused (nothing asks). */
  public TokenVerifier(AuthProperties properties) {
    this.decoder = properties.enabled() ? decoder(properties) : token -> Mono.error(new IllegalStateException("auth off"));
  }

  private static ReactiveJwtDecoder decoder(AuthProperties properties) {
    AuthProperties.Jwt jwt = properties.jwt();
    NimbusReactiveJwtDecoder decoder;
    if (jwt.secret() != null && !jwt.secret().isBlank()) {
      decoder = NimbusReactiveJwtDecoder
          .withSecretKey(new SecretKeySpec(jwt.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
          .macAlgorithm(MacAlgorithm.HS256)
          .build();
    } else {
      decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwksUri().toString())
          .jwsAlgorithm(SignatureAlgorithm.RS256)
          .jwsAlgorithm(SignatureAlgorithm.ES256)
          .build();
    }
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(new JwtTimestampValidator(properties.clockSkew()));
    if (jwt.issuer() != null && !jwt.issuer().isBlank()) {
      validators.add(new JwtIssuerValidator(jwt.issuer()));
    }
    if (jwt.audience() != null && !jwt.audience().isBlank()) {
      validators.add(new JwtAudienceValidator(jwt.audience()));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return decoder;
  }

  /**
   * The principal of a valid token, or an {@link InvalidToken} error (never any other error): the reason is
   * logged at debug level without the token.
   */
  public Mono<Principal> verify(String token) {
    return Mono.defer(() -> decoder.decode(token))
        .timeout(VERIFY_TIMEOUT)
        .map(TokenVerifier::principal)
        .onErrorMap(error -> !(error instanceof InvalidToken), error -> {
          // Policy: every failure (bad signature, expired, wrong issuer, unreachable JWKS) is the same
          // "invalid token" to the client; the reason stays in the log.
          log.debug("Token refused: {}", error.getMessage());
          return new InvalidToken("Invalid or expired token");
        });
  }

  private static Principal principal(Jwt jwt) {
    String subject = jwt.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new InvalidToken("Token has no subject");
    }
    return new Principal(subject, scopes(jwt), jwt.getExpiresAt(), false);
  }

  /** {@code scope} as a space-separated string, or {@code scp} as an array (or string). */
  static Set<String> scopes(Jwt jwt) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String claim : List.of("scope", "scp")) {
      Object value = jwt.getClaims().get(claim);
      if (value instanceof String text) {
        for (String scope : text.trim().split("\\s+")) {
          if (!scope.isEmpty()) {
            scopes.add(scope);
          }
        }
      } else if (value instanceof Collection<?> list) {
        for (Object scope : list) {
          if (scope instanceof String s && !s.isBlank()) {
            scopes.add(s);
          }
        }
      }
    }
    return scopes;
  }
}
