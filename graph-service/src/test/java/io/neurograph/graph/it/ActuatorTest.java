package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** HTTP serves the health probes and info. */
class ActuatorTest extends SharedContextTest {

  @Autowired
  Environment environment;

  @Test
  void livenessAndReadinessProbesAreUp() throws Exception {
    for (String path : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).contains("\"UP\"");
    }
  }

  @Test
  void infoNamesTheService() throws Exception {
    assertThat(get("/actuator/info").body()).contains("graph-service");
  }

  private HttpResponse<String> get(String path) throws Exception {
    String port = environment.getRequiredProperty("local.server.port");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
