package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.gateway.events.Resumer;
import io.neurograph.gateway.support.KafkaTestSupport;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code subscribe {since}}: every event after the cursor, once, in per-token order, then live with no gap or
 * repeat at the seam, on another instance than the one that wrote the cursor; {@code resumed: false} once
 * the events are gone from Kafka; and a replay stalled by its client holds up no one else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResumeTest {

  static final String PREFIX = "resume-" + UUID.randomUUID().toString().substring(0, 8);
  static final List<String> TOKENS = java.util.stream.IntStream.range(0, 6)
      .mapToObj(i -> UUID.randomUUID().toString()).toList();

  private static ConfigurableApplicationContext secondInstance;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    shared().forEach((key, value) -> registry.add(key, () -> value));
  }

  static Map<String, String> shared() {
    return Map.of(
        "spring.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
        "neurograph.kafka.topic-prefix", PREFIX,
        "neurograph.kafka.partitions", "3");
  }

  @LocalServerPort int port;
  @Autowired Resumer resumer;

  @AfterAll
  static void stopSecondInstance() {
    if (secondInstance != null) {
      secondInstance.close();
    }
  }

  /** One delivered token event: which token, its sequence number, the cursor after it, and its event id. */
  record Seen(String token, int seq, String cursor, String eventId) {}

  @Test
  void resumesOnAnotherInstanceWithEveryEventOnceAndInOrderThenLive() throws Exception {
    int secondPort = startSecondInstance();
    String topic = new Topics(PREFIX).tokenEvents();
    try (KafkaTestSupport kafka = new KafkaTestSupport()) {
      List<Seen> first;
      try (WsClient a = connect(port)) {
        subscribe(a, "tokens", null);
        publish(kafka, topic, 0, 100, 0);
        first = read(a, 100);
      }
      String cursor = first.get(39).cursor();
      Set<String> expected = keys(first.subList(40, 100));

      publish(kafka, topic, 100, 300, 0);
      expected.addAll(range(100, 300));
      try (WsClient b = connect(secondPort)) {
        b.send("subscribe", "resume", Map.of("topic", "tokens", "since", cursor));
        // Live events published while the replay runs must come after it, once each.
        CompletableFuture<Void> during = CompletableFuture.runAsync(() -> publish(kafka, topic, 300, 500, 0));
        JsonNode subscribed = b.replyTo("resume");
        assertThat(subscribed.get("type").stringValue()).isEqualTo("subscribed");
        assertThat(subscribed.get("payload").get("resumed").booleanValue()).isTrue();
        during.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        expected.addAll(range(300, 500));

        List<Seen> resumed = read(b, expected.size());
        assertExactlyOnceInOrder(resumed, expected);
        // An event keeps its identity across instances and replays, so a client can drop one it already has.
        Map<Integer, String> liveIds = new HashMap<>();
        first.forEach(seen -> liveIds.put(seen.seq(), seen.eventId()));
        assertThat(resumed).allSatisfy(seen -> assertThat(seen.eventId()).isNotBlank());
        assertThat(resumed.stream().map(Seen::eventId).toList()).doesNotHaveDuplicates();
        resumed.stream().filter(seen -> seen.seq() < 100).forEach(seen ->
            assertThat(seen.eventId()).as("event %d replayed on the second instance", seen.seq())
                .isEqualTo(liveIds.get(seen.seq())));
        // Nothing extra behind them: the next thing to arrive is the next event published.
        publish(kafka, topic, 1000, 1001, 0);
        assertThat(read(b, 1).get(0).seq()).isEqualTo(1000);

        // A replayed event's cursor resumes as well as a live one's, here back on the first instance.
        String midReplay = resumed.get(99).cursor();
        Set<String> rest = keys(resumed.subList(100, resumed.size()));
        rest.add(TOKENS.get(1000 % TOKENS.size()) + "#1000");
        try (WsClient c = connect(port)) {
          subscribe(c, "tokens", midReplay);
          assertExactlyOnceInOrder(read(c, rest.size()), rest);
        }
      }
    }
  }

  @Test
  void aCursorOlderThanRetentionSaysNotResumedAndContinuesLive() throws Exception {
    String prefixTopic = new Topics(PREFIX).tokenEvents();
    try (KafkaTestSupport kafka = new KafkaTestSupport(); WsClient a = connect(port)) {
      subscribe(a, "token:" + TOKENS.get(5), null);
      publish(kafka, prefixTopic, 2000, 2012, 5);
      String cursor = read(a, 12).get(2).cursor();
      deleteAllRecords(prefixTopic);

      try (WsClient b = connect(port)) {
        JsonNode subscribed = subscribe(b, "token:" + TOKENS.get(5), cursor);
        assertThat(subscribed.get("payload").get("resumed").booleanValue()).isFalse();
        assertThat(subscribed.get("payload").get("cursor").stringValue()).isNotEqualTo(cursor);
        publish(kafka, prefixTopic, 2100, 2101, 5);
        assertThat(read(b, 1).get(0).seq()).isEqualTo(2100);
      }
    }
  }

  @Test
  void aStalledReplayHoldsUpNoOneAndResumesAtTheClientsPace() throws Exception {
    String topic = new Topics(PREFIX).tokenEvents();
    String token = TOKENS.get(4);
    try (KafkaTestSupport kafka = new KafkaTestSupport(); WsClient live = connect(port);
        WsClient stalled = connect(port)) {
      String subTopic = "token:" + token;
      String start = subscribe(live, subTopic, null).get("payload").get("cursor").stringValue();
      // ~16 KiB per event: far more than the socket buffers plus half the 4 MB outbound budget.
      int count = 1200;
      String pad = "p".repeat(16 * 1024);
      for (int i = 0; i < count; i++) {
        kafka.publishTokenEventAsync(topic, "token.updated", token,
            Json.tree(Map.of("token_id", token, "seq", 3000 + i, "pad", pad)));
      }
      kafka.flush();
      assertThat(read(live, count)).hasSize(count);
      long replayedBefore = resumer.eventsReplayed();

      stalled.stopReading();
      stalled.send("subscribe", "stalled", Map.of("topic", subTopic, "since", start));
      await().atMost(WsClient.WAIT).until(() -> resumer.eventsReplayed() > replayedBefore);

      // The replay now waits for the stalled client; live delivery to the other one goes on.
      for (int i = 0; i < 20; i++) {
        kafka.publishTokenEventAsync(topic, "token.updated", token,
            Json.tree(Map.of("token_id", token, "seq", 5000 + i)));
      }
      kafka.flush();
      List<Seen> meanwhile = read(live, 20);
      assertThat(meanwhile.get(19).seq()).isEqualTo(5019);
      assertThat(resumer.eventsReplayed() - replayedBefore).as("replay still waiting for its client").isLessThan(count);

      stalled.resumeReading();
      JsonNode subscribed = stalled.replyTo("stalled");
      assertThat(subscribed.get("payload").get("resumed").booleanValue()).isTrue();
      List<Seen> all = read(stalled, count + 20);
      for (int i = 0; i < count; i++) {
        assertThat(all.get(i).seq()).isEqualTo(3000 + i);
      }
      for (int i = 0; i < 20; i++) {
        assertThat(all.get(count + i).seq()).isEqualTo(5000 + i);
      }
      assertThat(stalled.isClosed()).isFalse();
    }
  }

  @Test
  void anUnknownCursorIsNotResumed() {
    try (WsClient a = connect(port)) {
      JsonNode subscribed = subscribe(a, "graph", "1." + java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString("t0=-5".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      assertThat(subscribed.get("payload").get("resumed").booleanValue()).isFalse();
    }
  }

  private int startSecondInstance() {
    List<String> args = new ArrayList<>(List.of("--server.port=0"));
    shared().forEach((key, value) -> args.add("--" + key + "=" + value));
    secondInstance = new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
    return Integer.parseInt(secondInstance.getEnvironment().getProperty("local.server.port"));
  }

  private static WsClient connect(int port) {
    WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"));
    client.next("connection.established");
    return client;
  }

  private static JsonNode subscribe(WsClient client, String topic, String since) {
    String id = "sub-" + UUID.randomUUID();
    Map<String, Object> payload = new HashMap<>();
    payload.put("topic", topic);
    if (since != null) {
      payload.put("since", since);
    }
    client.send("subscribe", id, payload);
    JsonNode reply = client.replyTo(id);
    assertThat(reply.get("type").stringValue()).isEqualTo("subscribed");
    return reply;
  }

  /** Publishes seq {@code from} until {@code to}, spread over the tokens (or all on token {@code only} when > 0). */
  private static void publish(KafkaTestSupport kafka, String topic, int from, int to, int only) {
    for (int seq = from; seq < to; seq++) {
      String token = only > 0 ? TOKENS.get(only) : TOKENS.get(seq % TOKENS.size());
      kafka.publishTokenEventAsync(topic, "token.updated", token, Json.tree(Map.of("token_id", token, "seq", seq)));
    }
    kafka.flush();
  }

  private static List<Seen> read(WsClient client, int count) {
    List<Seen> seen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode event = client.next("token.updated");
      JsonNode payload = event.get("payload");
      seen.add(new Seen(payload.get("token_id").stringValue(), payload.get("seq").intValue(),
          event.get("cursor").stringValue(), event.path("event_id").stringValue(null)));
    }
    return seen;
  }

  private static Set<String> keys(List<Seen> seen) {
    return seen.stream().map(s -> s.token() + "#" + s.seq()).collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<String> range(int from, int to) {
    Set<String> keys = new HashSet<>();
    for (int seq = from; seq < to; seq++) {
      keys.add(TOKENS.get(seq % TOKENS.size()) + "#" + seq);
    }
    return keys;
  }

  private static void assertExactlyOnceInOrder(List<Seen> received, Set<String> expected) {
    List<String> keys = received.stream().map(s -> s.token() + "#" + s.seq()).toList();
    assertThat(keys).as("no event twice").doesNotHaveDuplicates();
    assertThat(new HashSet<>(keys)).as("every event after the cursor").isEqualTo(expected);
    Map<String, Integer> last = new HashMap<>();
    for (Seen s : received) {
      Integer before = last.put(s.token(), s.seq());
      assertThat(before == null || before < s.seq()).as("per-token order at %s", s).isTrue();
    }
  }

  /** Moves every partition's log start to its end, as retention would. */
  private static void deleteAllRecords(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach(
          (tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get();
    }
  }
}
