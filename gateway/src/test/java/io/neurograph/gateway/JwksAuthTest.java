package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.neurograph.gateway.support.HeaderHandshake;
import io.neurograph.gateway.support.TestJwts;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Mode {@code jwt} with RS256 and ES256 keys from a JWKS URI (a JDK HTTP server on a free port). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwksAuthTest {

  static final RSAKey RSA = generateRsa("rsa-1");
  static final RSAKey UNPUBLISHED = generateRsa("rsa-unknown");
  static final ECKey EC = generateEc();
  static final AtomicInteger FETCHES = new AtomicInteger();
  static final HttpServer JWKS = startJwks();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "jwks-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.auth.mode", () -> "jwt");
    registry.add("neurograph.auth.jwt.jwks-uri",
        () -> "http://localhost:" + JWKS.getAddress().getPort() + "/.well-known/jwks.json");
  }

  @LocalServerPort int port;

  @AfterAll
  static void stopJwks() {
    JWKS.stop(0);
  }

  static RSAKey generateRsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey generateEc() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpServer startJwks() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
      byte[] body = new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString()
          .getBytes(StandardCharsets.UTF_8);
      server.createContext("/.well-known/jwks.json", exchange -> {
        FETCHES.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return server;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet claims(String subject) {
    return TestJwts.claims(subject, Duration.ofHours(1), claims -> claims.claim("scp", List.of("graph:read")));
  }

  URI uri(String query) {
    return URI.create("ws://localhost:" + port + "/ws" + query);
  }

  @Test
  void rs256TokenFromTheJwksAuthenticatesTheHandshake() {
    try (WsClient client = WsClient.connect(uri("?access_token=" + TestJwts.rs256(RSA, claims("rs-user"))))) {
      assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
      client.send("subscribe", "s1", Map.of("topic", "graph"));
      assertThat(client.replyTo("s1").get("type").stringValue()).isEqualTo("subscribed");
      client.send("subscribe", "s2", Map.of("topic", "tokens"));
      assertThat(client.replyTo("s2").get("payload").get("code").stringValue()).isEqualTo("FORBIDDEN");
    }
    assertThat(FETCHES.get()).isPositive();
  }

  @Test
  void es256TokenFromTheJwksAuthenticatesInBand() {
    try (WsClient client = WsClient.connect(uri(""))) {
      assertThat(client.next().get("type").stringValue()).isEqualTo("connection.established");
      client.send("auth", "a1", Map.of("token", TestJwts.es256(EC, claims("es-user"))));
      JsonNode authenticated = client.replyTo("a1");
      assertThat(authenticated.get("type").stringValue()).isEqualTo("authenticated");
      assertThat(authenticated.get("payload").get("subject").stringValue()).isEqualTo("es-user");
    }
  }

  @Test
  void aKeyTheJwksDoesNotHoldIsRefused() {
    String token = TestJwts.rs256(UNPUBLISHED, claims("mallory"));
    assertThat(HeaderHandshake.status(uri(""), "Bearer " + token)).isEqualTo(401);
  }
}
