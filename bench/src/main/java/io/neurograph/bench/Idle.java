package io.neurograph.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many connections that only keep themselves alive (a {@code ping} every 15 s, under the gateway's 60 s idle
 * timeout). Heap is measured after a full GC before and after; RSS likewise. Both per open connection.
 */
final class Idle {

  private Idle() {}

  static Map<String, Object> run(BenchOptions options, String run, Gateway gateway) {
    long heapBefore = gateway.heapAfterGcBytes();
    long rssBefore = gateway.rssBytes();
    LongAdder frames = new LongAdder();
    long started = System.nanoTime();
    ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    List<WsConnection> connections = WsConnection.openAll(
        i -> Gateway.withQuery(options.ws, "client_id=bench-" + run + "-idle-" + i), options.idleConnections,
        options.connectConcurrency, i -> (connection, frame) -> connection.countOnly(frames));
    double connectSeconds = (System.nanoTime() - started) / 1e9;
    long[] pings = {0};
    pinger.scheduleAtFixedRate(() -> connections.forEach(c -> c.send(Frames.ping(pings[0]++))), 15, 15,
        TimeUnit.SECONDS);
    try {
      OpenLoop.waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
      long open = connections.stream().filter(WsConnection::isOpen).count();
      long heapAfter = gateway.heapAfterGcBytes();
      long rssAfter = gateway.rssBytes();
      List<String> topClasses = gateway.topClasses(20);
      long stillOpen = connections.stream().filter(WsConnection::isOpen).count();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("connections", open);
      result.put("requested", options.idleConnections);
      result.put("failed", options.idleConnections - open);
      result.put("still_open_after_measuring", stillOpen);
      result.put("connect_seconds", Math.round(connectSeconds * 10) / 10.0);
      result.put("heap_before_bytes", heapBefore);
      result.put("heap_after_bytes", heapAfter);
      result.put("rss_before_bytes", rssBefore);
      result.put("rss_after_bytes", rssAfter);
      result.put("heap_bytes_per_connection", open > 0 ? (heapAfter - heapBefore) / open : null);
      result.put("rss_bytes_per_connection", open > 0 ? (rssAfter - rssBefore) / open : null);
      result.put("heap_top_classes_with_connections_open", topClasses);
      result.put("heap_note", "heap used right after jcmd GC.run, before and with the connections open");
      return result;
    } finally {
      pinger.shutdownNow();
      connections.forEach(WsConnection::close);
    }
  }
}
