package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.session.SessionRegistry;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.WsClient;
import io.neurograph.testkit.TestKafka;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A client that stops reading is closed with 4008 once its bounded buffer is full, while a client reading
 * the same events receives every one of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowConsumerTest {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlowConsumerTest.class);

  static final String PREFIX = "slow-" + UUID.randomUUID().toString().substring(0, 8);
  static final int EVENTS = 1500;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "1");
    registry.add("neurograph.gateway.outbound.max-messages", () -> "50");
    registry.add("neurograph.gateway.outbound.max-bytes", () -> "512KB");
    // Longer than anything the tests do before the stalled client reads again (minutes on a loaded machine),
    // so it always gets to read the close frame instead of being cut.
    registry.add("neurograph.gateway.outbound.close-grace", () -> "10m");
  }

  @LocalServerPort int port;
  @Autowired SessionRegistry registry;

  @Test
  void aStalledClientIsClosedWith4008AndTheOthersGetEverything() throws Exception {
    URI uri = URI.create("ws://localhost:" + port + "/ws");
    try (WsClient stalled = WsClient.connect(uri); WsClient healthy = WsClient.connect(uri);
        KafkaTestSupport kafka = new KafkaTestSupport()) {
      for (WsClient client : new WsClient[] {stalled, healthy}) {
        client.next("connection.established");
        client.send("subscribe", "s", Map.of("topic", "tokens"));
        client.replyTo("s");
      }
      stalled.stopReading();
      long closesBefore = registry.stats().slowConsumerCloses();

      // ~16 KiB per event: far more than the socket buffers plus the 512 KB outbound budget.
      String pad = "p".repeat(16 * 1024);
      String tokenId = UUID.randomUUID().toString();
      for (int i = 0; i < EVENTS; i++) {
        JsonNode data = Json.tree(Map.of("token_id", tokenId, "seq", i, "pad", pad));
        kafka.publishTokenEvent(new Topics(PREFIX).tokenEvents(), "token.updated", tokenId, data);
      }

      for (int i = 0; i < EVENTS; i++) {
        JsonNode event = healthy.next("token.updated");
        assertThat(event.get("payload").get("seq").intValue()).as("in order, none missing").isEqualTo(i);
      }
      await().atMost(WsClient.WAIT).until(() -> registry.stats().slowConsumerCloses() == closesBefore + 1);
      assertThat(healthy.isClosed()).isFalse();

      stalled.resumeReading();
      assertThat(stalled.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4008);
      await().atMost(WsClient.WAIT).until(() -> registry.size() == 1);
    }
  }

  /**
   * What a stalled client costs the others, measured rather than asserted (timing belongs in benchmarks).
   * Both phases publish the same two streams: small paced events on one token, read by four clients, and
   * 32 KiB events on another token. In the second phase a fifth client subscribed to the big stream stops
   * reading until it is closed. The test asserts what must hold (every small event to every reader, in
   * order; the stalled client closed with 4008) and logs the readers' p50/p99 for both phases.
   */
  @Test
  void aStalledClientDoesNotHoldUpTheOthers() throws Exception {
    URI uri = URI.create("ws://localhost:" + port + "/ws");
    String topic = new Topics(PREFIX).tokenEvents();
    String measured = UUID.randomUUID().toString();
    String flood = UUID.randomUUID().toString();
    List<WsClient> readers = new ArrayList<>();
    try (KafkaTestSupport kafka = new KafkaTestSupport()) {
      for (int i = 0; i < 4; i++) {
        readers.add(subscribed(WsClient.connect(uri), "token:" + measured));
      }
      latencies(kafka, topic, measured, flood, readers); // warm-up (JIT, connections), not reported
      long[] calm = latencies(kafka, topic, measured, flood, readers);
      long closesBefore = registry.stats().slowConsumerCloses();
      try (WsClient stalled = subscribed(WsClient.connect(uri), "token:" + flood)) {
        stalled.stopReading();
        long[] stalledPhase = latencies(kafka, topic, measured, flood, readers);
        await().atMost(WsClient.WAIT).until(() -> registry.stats().slowConsumerCloses() == closesBefore + 1);
        log.info("Delivery latency to 4 readers, p50/p99 ms: calm {}/{}, one client stalled {}/{} (p99 ratio {})",
            ms(calm, 50), ms(calm, 99), ms(stalledPhase, 50), ms(stalledPhase, 99),
            String.format("%.2f", (double) percentile(stalledPhase, 99) / Math.max(1, percentile(calm, 99))));
        stalled.resumeReading();
        assertThat(stalled.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4008);
      }
    } finally {
      readers.forEach(WsClient::close);
    }
  }

  private static WsClient subscribed(WsClient client, String topic) {
    client.next("connection.established");
    client.send("subscribe", "s", Map.of("topic", topic));
    client.replyTo("s");
    return client;
  }

  /**
   * Publishes 400 small events on {@code measured} at about 200 per second, each followed by a 32 KiB event on
   * {@code flood} (12.8 MB in all: far more than a stalled client's socket buffers plus its 512 KB budget),
   * and returns, per reader and small event, the time from publish to the test reading it.
   */
  private long[] latencies(KafkaTestSupport kafka, String topic, String measured, String flood, List<WsClient> readers)
      throws Exception {
    int count = 400;
    String padding = "p".repeat(32 * 1024);
    long[] sentAt = new long[count];
    CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        // Paced, not flooded: latency under a steady stream, not queueing behind a burst.
        long due = start + i * 5_000_000L;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        sentAt[i] = System.nanoTime();
        kafka.publishTokenEventAsync(topic, "token.updated", measured,
            Json.tree(Map.of("token_id", measured, "seq", i)));
        kafka.publishTokenEventAsync(topic, "token.updated", flood,
            Json.tree(Map.of("token_id", flood, "seq", i, "pad", padding)));
      }
      kafka.flush();
    });
    long[] latency = new long[count * readers.size()];
    int n = 0;
    int[] next = new int[readers.size()];
    // Round-robin so every reader is drained while the stream runs.
    while (n < latency.length) {
      for (int r = 0; r < readers.size(); r++) {
        if (next[r] < count) {
          JsonNode event = readers.get(r).next("token.updated");
          int seq = event.get("payload").get("seq").intValue();
          assertThat(seq).as("in order, none missing").isEqualTo(next[r]);
          latency[n++] = System.nanoTime() - sentAt[seq];
          next[r]++;
        }
      }
    }
    publishing.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    return latency;
  }

  private static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static String ms(long[] values, int p) {
    return String.format("%.1f", percentile(values, p) / 1e6);
  }
}
