package io.neurograph.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Histograms are kept in microseconds; reports are in milliseconds. */
final class Latency {

  private Latency() {}

  /** A histogram for values in microseconds, 3 significant digits, growing as needed. */
  static Histogram histogram() {
    Histogram histogram = new Histogram(3);
    histogram.setAutoResize(true);
    return histogram;
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /** p50, p90, p99, p99.9, max and count of a histogram, in ms (null without values). */
  static Map<String, Object> summary(Histogram histogram) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", histogram.getTotalCount());
    if (histogram.getTotalCount() == 0) {
      // Nothing answered in the measured window: no latency at all, not a latency of zero.
      for (String key : new String[] {"p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"}) {
        summary.put(key, null);
      }
      return summary;
    }
    summary.put("p50_ms", ms(histogram.getValueAtPercentile(50)));
    summary.put("p90_ms", ms(histogram.getValueAtPercentile(90)));
    summary.put("p99_ms", ms(histogram.getValueAtPercentile(99)));
    summary.put("p999_ms", ms(histogram.getValueAtPercentile(99.9)));
    summary.put("max_ms", ms(histogram.getMaxValue()));
    return summary;
  }
}
