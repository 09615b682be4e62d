package io.neurograph.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * N subscribers on {@code tokens} while {@code token.create} commands run at a fixed rate. Every subscriber counts
 * the events it gets; the first few (probes) also decode them to measure event age: the time from the token's
 * {@code created_at} (token-service's transaction time, PostgreSQL {@code now()}) to the frame's arrival here. That
 * age spans commit, outbox relay, Kafka, the gateway's fan-out and the client's socket; the machine's one clock
 * serves both ends.
 */
final class Fanout {

  private Fanout() {}

  static Map<String, Object> run(BenchOptions options, String run, Gateway gateway, int subscribers) {
    int rate = Math.max(1, Math.min(options.fanoutMaxRate, options.fanoutTargetDeliveries / subscribers));
    LongAdder delivered = new LongAdder();
    Recorder ages = new Recorder(3);
    AtomicBoolean measuring = new AtomicBoolean();
    List<CompletableFuture<Void>> subscribed = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      subscribed.add(new CompletableFuture<>());
    }
    List<WsConnection> connections = WsConnection.openAll(
        i -> Gateway.withQuery(options.ws, "client_id=bench-" + run + "-sub-" + subscribers + "-" + i), subscribers, options.connectConcurrency,
        i -> {
          boolean probe = i < options.probes;
          return (connection, frame) -> {
            String type = Frames.type(frame);
            if ("connection.established".equals(type)) {
              connection.send(Frames.subscribe("tokens"));
            } else if ("subscribed".equals(type)) {
              if (!probe) {
                connection.countOnly(delivered);
              }
              subscribed.get(i).complete(null);
            } else if ("token.created".equals(type)) {
              delivered.increment();
              Instant created = Frames.createdAt(frame);
              if (measuring.get() && created != null) {
                Instant now = Instant.now();
                long micros = (now.getEpochSecond() - created.getEpochSecond()) * 1_000_000
                    + (now.getNano() - created.getNano()) / 1000;
                ages.recordValue(Math.max(0, micros));
              }
            }
          };
        });
    long failedToSubscribe = 0;
    for (CompletableFuture<Void> s : subscribed) {
      try {
        s.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        failedToSubscribe++;
      }
    }
    Map<String, Object> commands;
    long windowNanos;
    long deliveredInWindow;
    double cpuSeconds;
    Double gatewayAgeP50;
    Double gatewayAgeP99;
    try (CommandLoad load = CommandLoad.open(options.ws, "bench-" + run + "-fanout-" + subscribers, rate,
        options.ratePerConnection)) {
      AtomicReference<Map<String, Object>> holder = new AtomicReference<>();
      Thread sender = new Thread(() -> holder.set(load.run(rate, options.warmup, options.duration, null, null)),
          "fanout-commands");
      long launched = System.nanoTime();
      sender.start();
      OpenLoop.waitUntil(launched + TimeUnit.MILLISECONDS.toNanos(200) + options.warmup.toNanos());
      delivered.reset();
      ages.reset();
      measuring.set(true);
      EventAgeHistogram gatewayAgeStart = EventAgeHistogram.scrape(options.ws);
      double cpuStart = gateway.cpuSeconds();
      long windowStart = System.nanoTime();
      OpenLoop.waitUntil(windowStart + options.duration.toNanos());
      deliveredInWindow = delivered.sum();
      cpuSeconds = gateway.cpuSeconds() - cpuStart;
      windowNanos = System.nanoTime() - windowStart;
      measuring.set(false);
      EventAgeHistogram gatewayAge = EventAgeHistogram.scrape(options.ws);
      gatewayAgeP50 = gatewayAge.quantileMsSince(gatewayAgeStart, 0.50);
      gatewayAgeP99 = gatewayAge.quantileMsSince(gatewayAgeStart, 0.99);
      sender.join();
      commands = holder.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Map<Integer, Long> closeCodes = new TreeMap<>();
    for (WsConnection connection : connections) {
      if (connection.closed().isDone()) {
        closeCodes.merge(connection.closed().join(), 1L, Long::sum);
      }
      connection.close();
    }
    double seconds = windowNanos / 1e9;
    double cores = cpuSeconds / seconds;
    double perSecond = deliveredInWindow / seconds;
    Histogram age = ages.getIntervalHistogram();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("subscribers", subscribers);
    result.put("command_rate", rate);
    result.put("expected_per_s", (long) rate * subscribers);
    result.put("delivered_per_s", Math.round(perSecond));
    result.put("gateway_cores", Math.round(cores * 1000) / 1000.0);
    result.put("delivered_per_s_per_core", cores > 0 ? Math.round(perSecond / cores) : null);
    Map<String, Object> ageSummary = Latency.summary(age);
    result.put("age_p50_ms", ageSummary.get("p50_ms"));
    result.put("age_p99_ms", ageSummary.get("p99_ms"));
    result.put("age_max_ms", ageSummary.get("max_ms"));
    result.put("age_samples", age.getTotalCount());
    // Bucket upper bounds of the gateway's histogram: from the record's Kafka timestamp (the relay's send) to
    // the frame taken by the writer, for every subscriber, not only the probes.
    result.put("gateway_age_p50_ms_at_most", gatewayAgeP50);
    result.put("gateway_age_p99_ms_at_most", gatewayAgeP99);
    result.put("probes", Math.min(options.probes, subscribers));
    result.put("failed_to_subscribe", failedToSubscribe);
    result.put("closed_subscribers", closeCodes);
    result.put("commands", commands);
    return result;
  }
}
