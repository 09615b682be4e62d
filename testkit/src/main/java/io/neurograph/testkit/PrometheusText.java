package io.neurograph.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/** One scrape of a service's {@code /actuator/prometheus}, and the sample values in it. */
public final class PrometheusText {

  private final String text;

  private PrometheusText(String text) {
    this.text = text;
  }

  /** Scrapes {@code http://127.0.0.1:<port>/actuator/prometheus}; fails unless it answers 200. */
  public static PrometheusText scrape(int port) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
              .timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("/actuator/prometheus answered " + response.statusCode());
      }
      return new PrometheusText(response.body());
    } catch (IOException e) {
      throw new AssertionError("/actuator/prometheus unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Whether a sample of {@code name} has all the given label fragments (e.g. {@code cache="token"}). */
  public boolean has(String name, String... labels) {
    return text.lines().anyMatch(line -> matches(line, name, labels));
  }

  /** The sum of the samples of {@code name} with all the given label fragments; 0 when there are none. */
  public double sum(String name, String... labels) {
    return text.lines()
        .filter(line -> matches(line, name, labels))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .filter(value -> !Double.isNaN(value))
        .sum();
  }

  /** The whole exposition text. */
  public String text() {
    return text;
  }

  private static boolean matches(String line, String name, String... labels) {
    return !line.startsWith("#") && (line.startsWith(name + "{") || line.startsWith(name + " "))
        && Arrays.stream(labels).allMatch(line::contains);
  }
}
