package io.neurograph.tokens.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.tokens.TokenGet;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.testkit.PrometheusText;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** {@code /actuator/prometheus} shows the service's meters moving with traffic. */
class MetricsTest extends SharedContextTest {

  private static final String CREATE = "type=\"token.create\"";
  private static final String GET = "type=\"token.get\"";
  private static final String TOKEN_CACHE = "cache=\"token\"";

  @Autowired
  Environment environment;

  @Test
  void requestsCacheOutboxAndConsumerLagAreMeasured() {
    PrometheusText before = scrape();
    TokenId id = TokenId.random();
    gateway.request(id.toString(), gateway.command("token.create", Payloads.create(id, "metrics")));

    // The reply is sent before the request is counted: wait for the counters, not just the replies. A
    // get per round: the first one that uses the cache misses and fills it, the next one hits (a slow
    // first Redis connection may make the service bypass the cache for a while).
    await().atMost(GatewayDouble.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      gateway.request(id.toString(), gateway.command("token.get", new TokenGet(id)));
      PrometheusText after = scrape();
      assertThat(after.sum("neurograph_requests_handled_total", CREATE, "outcome=\"ok\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_handled_total", CREATE, "outcome=\"ok\"") + 1);
      assertThat(after.sum("neurograph_requests_handled_total", GET, "outcome=\"ok\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_handled_total", GET, "outcome=\"ok\"") + 2);
      assertThat(after.sum("neurograph_requests_duration_seconds_count", CREATE))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_duration_seconds_count", CREATE) + 1);
      assertThat(after.sum("neurograph_requests_duration_seconds_bucket", CREATE, "le=\"+Inf\""))
          .isGreaterThanOrEqualTo(before.sum("neurograph_requests_duration_seconds_bucket", CREATE, "le=\"+Inf\"") + 1);
      assertThat(after.has("neurograph_requests_duration_seconds_bucket", CREATE, "le=\"0.1\"")).isTrue();
      assertThat(after.sum("neurograph_cache_misses_total", TOKEN_CACHE))
          .isGreaterThanOrEqualTo(before.sum("neurograph_cache_misses_total", TOKEN_CACHE) + 1);
      assertThat(after.sum("neurograph_cache_hits_total", TOKEN_CACHE))
          .isGreaterThanOrEqualTo(before.sum("neurograph_cache_hits_total", TOKEN_CACHE) + 1);
      assertThat(after.sum("neurograph_cache_hit_ratio", TOKEN_CACHE)).isPositive();
      assertThat(after.sum("neurograph_outbox_published_total"))
          .isGreaterThanOrEqualTo(before.sum("neurograph_outbox_published_total") + 1);
      // -1 until the first count; the event was published, so the count is a real one.
      assertThat(after.sum("neurograph_outbox_backlog")).isNotNegative();
      assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max", "client_id=\"token-service-")).isTrue();
      assertThat(after.has("neurograph_requests_handled_total", "service=\"token-service\"")).isTrue();
      assertThat(after.has("neurograph_commands_in_flight", "service=\"token-service\"")).isTrue();
    });
  }

  private PrometheusText scrape() {
    return PrometheusText.scrape(environment.getRequiredProperty("local.server.port", Integer.class));
  }
}
