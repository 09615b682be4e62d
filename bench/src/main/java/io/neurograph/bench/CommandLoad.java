package io.neurograph.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code token.create} at a fixed rate over a few connections (the gateway allows 100 frames/s per connection),
 * each request timed from its due time to its {@code token.created} reply, matched by {@code correlation_id}.
 */
final class CommandLoad implements AutoCloseable {

  private static final Duration REPLY_GRACE = Duration.ofSeconds(12);

  private final String label;
  private final List<WsConnection> connections = new ArrayList<>();
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final Recorder recorder = new Recorder(3);
  private final Histogram total = Latency.histogram();
  private final LongAdder ok = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();
  private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
  private volatile long measureFrom = Long.MAX_VALUE;

  private CommandLoad(String label) {
    this.label = label;
  }

  /** Opens enough connections for {@code rate} and waits until each is established. */
  static CommandLoad open(URI ws, String label, int rate, int ratePerConnection) {
    CommandLoad load = new CommandLoad(label);
    int count = Math.max(1, (rate + ratePerConnection - 1) / ratePerConnection);
    for (int i = 0; i < count; i++) {
      load.connections.add(WsConnection.open(Gateway.withQuery(ws, "client_id=" + label + "-" + i), load::onText));
    }
    for (WsConnection connection : load.connections) {
      connection.established().orTimeout(30, TimeUnit.SECONDS).join();
    }
    return load;
  }

  /**
   * Waits until the platform has worked off the commands an overloaded step left in Kafka (each was answered
   * {@code TIMEOUT} but still runs): one probe at a time until a probe's reply comes back within a second.
   * Returns the seconds it took, or -1 when {@code max} passed first.
   */
  static double drain(URI ws, String label, Duration max) {
    long started = System.nanoTime();
    long deadline = started + max.toNanos();
    AtomicReference<CompletableFuture<String>> reply = new AtomicReference<>(new CompletableFuture<>());
    WsConnection connection = WsConnection.open(Gateway.withQuery(ws, "client_id=" + label),
        (c, frame) -> {
          String type = Frames.type(frame);
          if ("token.created".equals(type) || "error".equals(type)) {
            reply.get().complete(type);
          }
        });
    try {
      connection.established().orTimeout(30, TimeUnit.SECONDS).join();
      for (long sequence = 0; System.nanoTime() < deadline; sequence++) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        reply.set(answer);
        long sent = System.nanoTime();
        connection.send(Frames.tokenCreate("d" + sequence, label, sequence));
        String type = answer.handle((t, e) -> t).orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> null).join();
        if ("token.created".equals(type) && System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(1)) {
          return Math.round((System.nanoTime() - started) / 1e8) / 10.0;
        }
        OpenLoop.waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      }
      return -1;
    } finally {
      connection.close();
    }
  }

  private void onText(WsConnection connection, String frame) {
    String type = Frames.type(frame);
    boolean created = "token.created".equals(type);
    if (!created && !"error".equals(type)) {
      return;
    }
    String correlation = Frames.correlationId(frame);
    Long due = correlation == null ? null : pending.remove(correlation);
    if (due == null) {
      return;
    }
    if (created) {
      ok.increment();
      if (due >= measureFrom) {
        recorder.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
      }
    } else {
      errors.increment();
      errorCodes.computeIfAbsent(String.valueOf(Frames.errorCode(frame)), c -> new LongAdder()).increment();
    }
  }

  /**
   * Sends for {@code warmup + duration}, measuring only requests due after the warm-up, then waits for the last
   * replies. With an {@code intervals} consumer it is handed each {@code interval}'s histogram (index, histogram).
   */
  Map<String, Object> run(int rate, Duration warmup, Duration duration, Duration interval,
      BiConsumer<Integer, Histogram> intervals) {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    measureFrom = start + warmup.toNanos();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger index = new AtomicInteger();
    Thread ticker = null;
    if (intervals != null) {
      ticker = new Thread(() -> tick(interval, intervals, sending, index), label + "-intervals");
      ticker.setDaemon(true);
      ticker.start();
    }
    long sent = OpenLoop.run(rate, start, warmup.plus(duration), (sequence, due) -> {
      String id = "c" + sequence;
      WsConnection connection = connections.get((int) (sequence % connections.size()));
      pending.put(id, due);
      if (!connection.send(Frames.tokenCreate(id, label, sequence))) {
        pending.remove(id);
        sendFailures.increment();
      }
    });
    long graceEnd = System.nanoTime() + REPLY_GRACE.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < graceEnd) {
      OpenLoop.waitUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
    }
    sending.set(false);
    if (ticker != null) {
      // Not interrupted: an interval callback may be running jcmd; it finishes, then the ticker sees the flag.
      LockSupport.unpark(ticker);
      try {
        ticker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int unanswered = pending.size();
    pending.clear();
    Histogram last = drain();
    if (intervals != null && last.getTotalCount() > 0) {
      intervals.accept(index.getAndIncrement(), last);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("rate", rate);
    result.put("connections", connections.size());
    result.put("sent", sent);
    result.put("replied", ok.sum());
    result.put("errors", errors.sum() + unanswered + sendFailures.sum());
    Map<String, Long> codes = new TreeMap<>();
    errorCodes.forEach((code, n) -> codes.put(code, n.sum()));
    if (unanswered > 0) {
      codes.put("no reply", (long) unanswered);
    }
    if (sendFailures.sum() > 0) {
      codes.put("not sent", sendFailures.sum());
    }
    result.put("error_codes", codes);
    result.put("closed_connections", connections.stream().filter(c -> c.closed().isDone()).count());
    result.put("warmup_s", warmup.toSeconds());
    result.put("measured_s", duration.toSeconds());
    result.putAll(Latency.summary(total));
    return result;
  }

  private void tick(Duration interval, BiConsumer<Integer, Histogram> intervals, AtomicBoolean sending,
      AtomicInteger index) {
    long next = measureFrom + interval.toNanos();
    while (true) {
      while (sending.get() && System.nanoTime() < next) {
        LockSupport.parkNanos(next - System.nanoTime());
      }
      if (!sending.get()) {
        return;
      }
      intervals.accept(index.getAndIncrement(), drain());
      next += interval.toNanos();
    }
  }

  /** The histogram recorded since the last call, also added to the run's total. */
  private synchronized Histogram drain() {
    Histogram interval = recorder.getIntervalHistogram();
    total.add(interval);
    return interval;
  }

  @Override
  public void close() {
    connections.forEach(WsConnection::close);
  }
}
