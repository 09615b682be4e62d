package io.neurograph.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;

/** Signs test JWTs (HS256, RS256, ES256) with Nimbus. */
public final class TestJwts {

  private TestJwts() {}

  /** Claims with a subject, expiring after {@code ttl}, with extra claims set by {@code more}. */
  public static JWTClaimsSet claims(String subject, Duration ttl, Consumer<JWTClaimsSet.Builder> more) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
        .subject(subject)
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plus(ttl)));
    more.accept(builder);
    return builder.build();
  }

  /** HS256 with a shared secret. */
  public static String hs256(String secret, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader(JWSAlgorithm.HS256), new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RS256 with the key's id in the header. */
  public static String rs256(RSAKey key, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), new RSASSASigner(key),
          claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ES256 with the key's id in the header. */
  public static String es256(ECKey key, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), new ECDSASigner(key),
          claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
