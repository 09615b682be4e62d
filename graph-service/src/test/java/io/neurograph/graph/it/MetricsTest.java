package io.neurograph.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.graph.GraphDegree;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.testkit.PrometheusText;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** {@code /actuator/prometheus} shows the service's meters moving with traffic. */
class MetricsTest extends SharedContextTest {

  private static final String CONNECT = "type=\"graph.connect\"";
  private static final String DEGREE = "type=\"graph.degree\"";
  private static final String DEGREE_CACHE = "cache=\"degree\"";

  @Autowired
  Environment environment;

  @Test
  void requestsCacheOutboxAndConsumerLagAreMeasured() {
    PrometheusText before = scrape();
    TokenId source = TokenId.random();
    TokenId target = TokenId.random();
    gateway.created(source, target);
    gateway.request(source.toString(), gateway.command("graph.connect", Payloads.connect(source, target, "metrics")));

    // The reply is sent before the request is counted: wait for the counters, not just the replies. A
    // get per round: the first one that uses the cache misses and fills it, the next one hits (a slow
    // first Redis connection may make the service bypass the cache for a while).
    await().atMost(GatewayDouble.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      gateway.request(source.toString(), gateway.command("graph.degree", new GraphDegree(source)));
      PrometheusText after = scrape();
      assertThat(after.sum("neurograph_requests_handled_total", CONNECT, "outcome=\"ok\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_handled_total", CONNECT, "outcome=\"ok\"") + 1);
      assertThat(after.sum("neurograph_requests_handled_total", DEGREE, "outcome=\"ok\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_handled_total", DEGREE, "outcome=\"ok\"") + 2);
      assertThat(after.sum("neurograph_requests_duration_seconds_count", CONNECT))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_duration_seconds_count", CONNECT) + 1);
      assertThat(after.sum("neurograph_requests_duration_seconds_bucket", CONNECT, "le=\"+Inf\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_duration_seconds_bucket", CONNECT, "le=\"+Inf\"") + 1);
      assertThat(after.has("neurograph_requests_duration_seconds_bucket", CONNECT, "le=\"0.1\"")).isTrue();
      assertThat(after.sum("neurograph_cache_misses_total", DEGREE_CACHE))
          .isGreaterThanOrEqualTo(before.sum("neurograph_cache_misses_total", DEGREE_CACHE) + 1);
      assertThat(after.sum("neurograph_cache_hits_total", DEGREE_CACHE))
          .isGreaterThanOrEqualTo(before.sum("neurograph_cache_hits_total", DEGREE_CACHE) + 1);
      assertThat(after.sum("neurograph_cache_hit_ratio", DEGREE_CACHE)).isPositive();
      assertThat(after.sum("neurograph_outbox_published_total"))
          .isGreaterThanOrEqualTo(before.sum("neurograph_outbox_published_total") + 1);
      // -1 until the first count; the event was published, so the count is a real one.
      assertThat(after.sum("neurograph_outbox_backlog")).isNotNegative();
      assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max", "client_id=\"graph-service-")).isTrue();
      assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max", "client_id=\"graph-service-projection-"))
          .isTrue();
      assertThat(after.has("neurograph_requests_handled_total", "service=\"graph-service\"")).isTrue();
    });
  }

  private PrometheusText scrape() {
    return PrometheusText.scrape(environment.getRequiredProperty("local.server.port", Integer.class));
  }
}
