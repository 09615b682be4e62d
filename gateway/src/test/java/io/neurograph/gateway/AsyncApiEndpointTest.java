package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.testkit.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.yaml.snakeyaml.Yaml;

/** {@code GET /asyncapi.yaml} serves the contracts' AsyncAPI document, without credentials even in mode jwt. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AsyncApiEndpointTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> "asyncapi-" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.auth.mode", () -> "jwt");
    registry.add("neurograph.auth.jwt.secret", () -> "test-secret-that-is-long-enough-for-hs256!");
  }

  @Autowired WebTestClient http;

  @Test
  void servesTheContractsAsyncApiDocumentToAnyone() throws IOException {
    byte[] body = http.get().uri("/asyncapi.yaml").exchange()
        .expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith("application/yaml")
        .expectBody().returnResult().getResponseBody();

    String text = new String(body, StandardCharsets.UTF_8);
    Map<String, Object> document = new Yaml().load(text);
    assertThat(document.get("asyncapi")).isEqualTo("3.0.0");
    assertThat(document).containsKeys("info", "channels", "operations", "components");
    try (InputStream shipped = getClass().getResourceAsStream("/neurograph/asyncapi.yaml")) {
      assertThat(text).isEqualTo(new String(shipped.readAllBytes(), StandardCharsets.UTF_8));
    }
    // The admin API next to it still wants a token: the document is public on purpose, not by accident.
    http.get().uri("/ws/stats").exchange().expectStatus().isUnauthorized();
  }
}
