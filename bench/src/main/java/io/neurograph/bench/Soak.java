package io.neurograph.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code token.create} at a moderate rate for a long time: p99 per interval, and after each interval the
 * gateway's heap after a full GC, whose least-squares slope says whether memory grows.
 */
final class Soak {

  private Soak() {}

  static Map<String, Object> run(BenchOptions options, String run, Gateway gateway) {
    List<Map<String, Object>> intervals = Collections.synchronizedList(new ArrayList<>());
    List<double[]> heap = Collections.synchronizedList(new ArrayList<>());
    long heapStart = gateway.heapAfterGcBytes();
    Map<String, Long> classesStart = gateway.classBytes();
    heap.add(new double[] {0, heapStart});
    double intervalMinutes = options.soakInterval.toMillis() / 60_000.0;
    Map<String, Object> total;
    try (CommandLoad load = CommandLoad.open(options.ws, "bench-" + run + "-soak", options.soakRate,
        options.ratePerConnection)) {
      total = load.run(options.soakRate, options.warmup, options.soakDuration, options.soakInterval,
          (index, histogram) -> {
            long heapBytes = gateway.heapAfterGcBytes();
            heap.add(new double[] {(index + 1) * intervalMinutes, heapBytes});
            Map<String, Object> interval = new LinkedHashMap<>(Latency.summary(histogram));
            interval.put("interval", index + 1);
            interval.put("heap_after_gc_bytes", heapBytes);
            interval.put("rss_bytes", gateway.rssBytes());
            intervals.add(interval);
          });
    }
    Map<String, Long> classesEnd = gateway.classBytes();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("duration_s", options.soakDuration.toSeconds());
    result.put("rate", options.soakRate);
    result.put("interval_s", options.soakInterval.toSeconds());
    result.put("errors", total.get("errors"));
    result.put("heap_start_bytes", heapStart);
    result.put("heap_slope_bytes_per_min", Math.round(slope(heap)));
    // A bounded structure that is still filling makes the whole-run slope positive; the second half shows
    // whether growth continues once it is full.
    result.put("heap_slope_second_half_bytes_per_min", Math.round(slope(heap.subList(heap.size() / 2, heap.size()))));
    result.put("p99_ms_per_interval", intervals.stream().map(i -> i.get("p99_ms")).toList());
    result.put("heap_growth_top_classes_bytes", growth(classesStart, classesEnd, 12));
    result.put("intervals", intervals);
    result.put("total", total);
    return result;
  }

  /** The {@code limit} classes whose live bytes grew most between two histograms, biggest first. */
  static Map<String, Long> growth(Map<String, Long> before, Map<String, Long> after, int limit) {
    Map<String, Long> top = new LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  /** Least-squares slope of y over x. */
  static double slope(List<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return 0;
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
  }
}
