package io.neurograph.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own event-age histogram ({@code neurograph_gateway_event_age_seconds}: Kafka record timestamp to
 * the frame taken by a connection's writer), scraped from its Prometheus endpoint. Two scrapes give the window's
 * share of it, which splits the client-measured age into the part before the event reached Kafka and the gateway's
 * fan-out.
 */
final class EventAgeHistogram {

  private static final Pattern BUCKET = Pattern.compile(
      "^neurograph_gateway_event_age_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*}\\s+(\\S+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Cumulative count per upper bound in seconds ({@code +Inf} as infinity); empty when it cannot be read. */
  private final TreeMap<Double, Double> buckets;

  private EventAgeHistogram(TreeMap<Double, Double> buckets) {
    this.buckets = buckets;
  }

  /** Scrapes the gateway that serves {@code ws} (same host and port, {@code /actuator/prometheus}). */
  static EventAgeHistogram scrape(URI ws) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    try {
      URI uri = new URI("ws".equals(ws.getScheme()) ? "http" : "https", null, ws.getHost(), ws.getPort(),
          "/actuator/prometheus", null, null);
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        for (String line : response.body().split("\n")) {
          Matcher m = BUCKET.matcher(line);
          if (m.find()) {
            double le = "+Inf".equals(m.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
          }
        }
      }
    } catch (Exception e) {
      buckets.clear();
    }
    return new EventAgeHistogram(buckets);
  }

  /**
   * The upper bound (ms) of the bucket holding quantile {@code q} of what was recorded between {@code before} and
   * this scrape, or null when either scrape failed or nothing was recorded.
   */
  Double quantileMsSince(EventAgeHistogram before, double q) {
    if (buckets.isEmpty() || before.buckets.isEmpty()) {
      return null;
    }
    Map<Double, Double> delta = new TreeMap<>();
    buckets.forEach((le, count) -> delta.put(le, count - before.buckets.getOrDefault(le, 0.0)));
    double total = delta.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return null;
    }
    for (Map.Entry<Double, Double> bucket : delta.entrySet()) {
      if (bucket.getValue() >= q * total) {
        return Double.isInfinite(bucket.getKey()) ? null : Math.round(bucket.getKey() * 10_000) / 10.0;
      }
    }
    return null;
  }
}
