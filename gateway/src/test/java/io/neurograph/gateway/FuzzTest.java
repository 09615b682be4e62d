package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.gateway.session.SessionRegistry;
import io.neurograph.testkit.TestKafka;
import io.neurograph.testkit.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Fuzzes the WebSocket protocol over real connections: every frame answered, nothing leaked, nobody else hurt. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FuzzTest {

  private static final Logger log = LoggerFactory.getLogger(FuzzTest.class);

  static final String PREFIX = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
  /** Replay a failure with {@code -Dneurograph.fuzz.seed=<seed from the log>}. */
  static final long SEED = Long.getLong("neurograph.fuzz.seed", 0x5EED_2026_1126L);
  static final int CONNECTIONS = 8;
  static final int FRAMES_PER_CONNECTION = 1300;
  // Two connections at a time keep the 2-core machine responsive for the side client and the gateway.
  static final int PARALLEL = 2;
  // Unanswered frames per connection: below max-in-flight-requests (100) so valid requests are not all
  // LIMIT_EXCEEDED, and far below the outbound buffer (1000) so a fast sender is never a slow consumer.
  static final int WINDOW = 48;
  static final int MAX_FRAME = 1024 * 1024;
  static final long MIB = 1024 * 1024;

  private static final Pattern LEAK = Pattern.compile(
      "java\\.|io\\.neurograph\\.|tools\\.jackson|reactor\\.|org\\.springframework|Exception|\tat |SELECT|INSERT"
          + "|\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)|Caused by:");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add("neurograph.kafka.topic-prefix", () -> PREFIX);
    registry.add("neurograph.kafka.partitions", () -> "1");
    // No service answers in this test: valid service requests end in TIMEOUT, and should do so quickly.
    registry.add("neurograph.gateway.request-timeout", () -> "1s");
    // Otherwise most of the fuzz would only ever see RATE_LIMITED.
    registry.add("neurograph.gateway.rate-limit.enabled", () -> "false");
    registry.add("neurograph.gateway.client-rate-limit.enabled", () -> "false");
  }

  @LocalServerPort int port;
  @Autowired SessionRegistry registry;

  final Queue<String> violations = new ConcurrentLinkedQueue<>();

  @Test
  void everyFrameIsAnsweredNothingLeaksAndTheGatewayStaysHealthy() throws Exception {
    long started = System.nanoTime();
    log.info("Fuzz seed {} (replay with -Dneurograph.fuzz.seed={})", SEED, SEED);
    Map<String, ObjectNode> goldens = goldens();
    // Jackson builds a payload type's deserializer on first use under a lock; connections decoding the same
    // type for the first time at once would contend for it on their event loops. A gateway that has served
    // every type once is the steady state this test is about.
    goldens.values().forEach(golden ->
        assertThat(ClientFrameDecoder.decode(Json.write(golden))).isInstanceOf(DecodedFrame.Accepted.class));
    LogCapture logs = new LogCapture();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext(root.getLoggerContext());
    logs.start();
    root.addAppender(logs);
    try {
      SideClient side = new SideClient(connect());
      side.start();
      await().atMost(WsClient.WAIT).until(() -> side.received.get() >= 40);
      long heapBefore = stableUsedHeap();

      side.during = true;
      List<Long> seeds = new ArrayList<>();
      Random master = new Random(SEED);
      for (int i = 0; i < CONNECTIONS; i++) {
        seeds.add(master.nextLong());
      }
      ExecutorService lanes = Executors.newFixedThreadPool(PARALLEL);
      List<Future<ConnectionReport>> futures = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        int index = i;
        futures.add(lanes.submit(() -> fuzzConnection(index, seeds.get(index), goldens)));
      }
      List<ConnectionReport> reports = new ArrayList<>();
      for (Future<ConnectionReport> future : futures) {
        reports.add(future.get(5, TimeUnit.MINUTES));
      }
      lanes.shutdown();
      Map<String, Integer> closeCodes = oversizedFrames(new Random(master.nextLong()));
      side.stop();

      // Only the side client is left once every fuzzing connection has been torn down on the server too.
      await().atMost(WsClient.WAIT).until(() -> registry.size() == 1);
      side.client.close();
      await().atMost(WsClient.WAIT).until(() -> registry.size() == 0);
      long heapAfter = stableUsedHeap();

      report(reports, closeCodes, side, heapBefore, heapAfter, started);

      assertThat(violations).as("protocol violations (seed %d)", SEED).isEmpty();
      for (ConnectionReport r : reports) {
        assertThat(r.answers).as("answers on connection %d (seed %d): %s", r.index, SEED, r).isEqualTo(r.sent);
        assertThat(r.closed).as("connection %d closed during the fuzz", r.index).isFalse();
      }
      assertThat(reports.stream().mapToInt(r -> r.sent).sum() + closeCodes.values().stream().mapToInt(n -> n).sum())
          .isGreaterThanOrEqualTo(10_000);
      assertThat(side.closedEarly).as("side client closed").isFalse();
      assertThat(side.received.get()).as("pongs of the side client, none missing").isEqualTo(side.sent.get());
      assertThat(heapAfter).as("used heap after (before %d MiB)", heapBefore / MIB)
          .isLessThanOrEqualTo(heapBefore + 64 * MIB);
    } finally {
      root.detachAppender(logs);
    }
    assertLogs(logs);
  }

  // ---------------------------------------------------------------------------------------------------
  // One fuzzing connection

  ConnectionReport fuzzConnection(int index, long seed, Map<String, ObjectNode> goldens) {
    ConnectionReport r = new ConnectionReport(index, seed);
    FrameGenerator generator = new FrameGenerator(new Random(seed), goldens);
    try (WsClient client = connect()) {
      for (int i = 0; i < FRAMES_PER_CONNECTION; i++) {
        while (r.sent - r.answers >= WINDOW) {
          if (!take(client, r)) {
            return r.closedOr(client);
          }
        }
        Frame frame = i == 100 ? generator.nearLimit("c" + index + "-" + i) : generator.next("c" + index + "-" + i);
        if (frame.id != null) {
          r.pending.put(frame.id, frame);
        }
        r.categories.merge(frame.category, 1, Integer::sum);
        r.recent.addLast(frame);
        if (r.recent.size() > 3) {
          r.recent.removeFirst();
        }
        try {
          if (frame.binary != null) {
            client.sendBinary(frame.binary);
          } else {
            client.sendText(frame.text);
          }
        } catch (RuntimeException e) {
          violations.add("connection " + r.index + " closed (" + client.closeCode().getNow(null) + ") after " + r.sent
              + " frames; the last ones: "
              + r.recent.stream().map(f -> f.category + " " + abbreviate(f.text)).toList());
          return r.closedOr(client);
        }
        r.sent++;
      }
      while (r.answers < r.sent) {
        if (!take(client, r)) {
          return r.closedOr(client);
        }
      }
      // Every request awaiting a service has been answered once nothing is in flight; a ping after that
      // is answered behind every earlier answer, so anything extra would have arrived before its pong.
      await().atMost(WsClient.WAIT).until(() -> inFlight() == 0);
      String sentinel = "sentinel-" + index;
      client.send("ping", sentinel, Map.of());
      while (!r.sentinelSeen) {
        if (!take(client, r, sentinel)) {
          return r.closedOr(client);
        }
      }
      r.closed = client.isClosed();
      return r;
    }
  }

  private int inFlight() {
    return registry.sessions().stream().mapToInt(s -> s.view().inFlightRequests()).sum();
  }

  private boolean take(WsClient client, ConnectionReport r) {
    return take(client, r, null);
  }

  /** Accounts for one received message; false when none came in time (the failure is recorded). */
  private boolean take(WsClient client, ConnectionReport r, String sentinel) {
    JsonNode message;
    try {
      message = client.next();
    } catch (AssertionError e) {
      violations.add("connection " + r.index + ": no message within " + WsClient.WAIT + " (sent " + r.sent
          + ", answers " + r.answers + ", closed " + client.closeCode().getNow(null) + ")");
      return false;
    }
    checkNoLeak("connection " + r.index, message);
    String type = text(message.get("type"));
    String correlation = text(message.get("correlation_id"));
    if ("connection.established".equals(type) && correlation == null) {
      return true;
    }
    if (sentinel != null && sentinel.equals(correlation)) {
      r.sentinelSeen = true;
      return true;
    }
    if (correlation == null) {
      if (message.has("topic")) {
        r.deliveries++; // a subscription delivery, not an answer
        return true;
      }
      r.uncorrelated++;
      if (!"error".equals(type)) {
        violations.add("connection " + r.index + ": uncorrelated non-error " + message);
      }
    } else if (r.pending.containsKey(correlation)) {
      Frame frame = r.pending.remove(correlation);
      r.answered.add(correlation);
      r.correlated++;
      if (frame.mustFail && !"error".equals(type)) {
        violations.add("connection " + r.index + ": " + frame.category + " frame " + abbreviate(frame.text)
            + " got " + message);
      }
    } else if (r.answered.contains(correlation)) {
      violations.add("connection " + r.index + ": second answer to " + correlation + ": " + message);
    } else {
      r.foreign++; // a server-assigned id (the frame had none) or an id the fuzz made unrecognisable
    }
    r.answers++;
    if ("error".equals(type)) {
      r.kinds.merge("error " + text(message.path("payload").path("code")), 1, Integer::sum);
    } else {
      r.kinds.merge(type, 1, Integer::sum);
    }
    return true;
  }

  private void checkNoLeak(String where, JsonNode message) {
    List<String> texts = new ArrayList<>();
    collectTexts(message, texts);
    for (String text : texts) {
      if (LEAK.matcher(text).find()) {
        violations.add(where + ": internal detail reached the client: " + abbreviate(message.toString()));
        return;
      }
    }
  }

  private static void collectTexts(JsonNode node, List<String> into) {
    if (node.isString()) {
      into.add(node.stringValue());
    } else if (node.isContainer()) {
      for (var entry : node.properties()) {
        into.add(entry.getKey());
        collectTexts(entry.getValue(), into);
      }
      if (node.isArray()) {
        node.values().forEach(value -> collectTexts(value, into));
      }
    }
  }

  /**
   * Frames over the limit, each on a connection of its own: every one must end the connection with 1009.
   * Netty refuses a single oversized frame as soon as its header arrives and closes the socket with the rest
   * of the frame unread; a client still writing then sees the connection reset (-1) instead of the close
   * frame. That outcome is tolerated only when the client's own send failed, and is reported.
   */
  private Map<String, Integer> oversizedFrames(Random random) {
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, Object> frames = new LinkedHashMap<>();
    frames.put("ping padded to 1 MiB + 44 B",
        "{\"id\":\"big-1\",\"type\":\"ping\",\"payload\":{\"pad\":\"" + "x".repeat(MAX_FRAME) + "\"}}");
    frames.put("not JSON, 1 MiB + 1 B", "a".repeat(MAX_FRAME + 1));
    frames.put("unbalanced brackets, 1.5 MiB", "[".repeat(MAX_FRAME + MAX_FRAME / 2));
    byte[] bytes = new byte[MAX_FRAME + 100];
    random.nextBytes(bytes);
    frames.put("random binary, 1 MiB + 100 B", bytes);
    for (var entry : frames.entrySet()) {
      try (WsClient client = connect()) {
        boolean sendCut = false;
        try {
          if (entry.getValue() instanceof String text) {
            client.sendText(text);
          } else {
            client.sendBinary((byte[]) entry.getValue());
          }
        } catch (CompletionException e) {
          sendCut = true;
        }
        int code;
        try {
          code = client.closeCode().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          code = 0;
        }
        log.info("Oversized frame '{}': close code {}{}", entry.getKey(), code,
            sendCut ? " (the server cut the connection while the client was still sending)" : "");
        outcomes.merge(code + (sendCut ? " send cut" : ""), 1, Integer::sum);
        if (code != 1009 && !(sendCut && code == -1)) {
          violations.add("oversized frame '" + entry.getKey() + "' closed with " + code + ", not 1009");
        }
        for (JsonNode message : client.drain()) {
          checkNoLeak("oversized", message);
          if (!"connection.established".equals(text(message.get("type")))) {
            violations.add("oversized frame answered instead of closed: " + abbreviate(message.toString()));
          }
        }
      }
    }
    return outcomes;
  }

  // ---------------------------------------------------------------------------------------------------
  // The well-behaved client on the side

  /** Pings every 50 ms from a scheduler and reads pongs on a thread of its own, measuring round trips. */
  final class SideClient {
    final WsClient client;
    final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    final List<Long> before = Collections.synchronizedList(new ArrayList<>());
    final List<Long> duringFuzz = Collections.synchronizedList(new ArrayList<>());
    volatile boolean during;
    volatile boolean stopping;
    volatile boolean closedEarly;
    Thread reader;

    SideClient(WsClient client) {
      this.client = client;
    }

    void start() {
      pinger.scheduleAtFixedRate(() -> {
        try {
          String id = "side-" + sent.get();
          sentAt.put(id, System.nanoTime());
          client.send("ping", id, Map.of());
          sent.incrementAndGet();
        } catch (RuntimeException e) {
          violations.add("side client could not send a ping: " + e);
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      reader = new Thread(this::read, "fuzz-side-reader");
      reader.start();
    }

    private void read() {
      while (!(stopping && received.get() == sent.get())) {
        JsonNode message;
        try {
          message = client.next();
        } catch (AssertionError e) {
          if (!stopping) {
            violations.add("side client: no message within " + WsClient.WAIT);
          }
          return;
        }
        checkNoLeak("side client", message);
        if ("pong".equals(text(message.get("type")))) {
          Long at = sentAt.remove(text(message.get("correlation_id")));
          if (at == null) {
            violations.add("side client: unexpected pong " + message);
            continue;
          }
          (during ? duringFuzz : before).add(System.nanoTime() - at);
          received.incrementAndGet();
        } else if (!"connection.established".equals(text(message.get("type")))) {
          violations.add("side client: unexpected " + message);
        }
      }
    }

    void stop() throws InterruptedException {
      pinger.shutdown();
      assertThat(pinger.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(WsClient.WAIT).until(() -> received.get() == sent.get() || !reader.isAlive());
      closedEarly = client.isClosed();
      // The reader may be waiting for a message that will never come: interrupting ends its wait.
      stopping = true;
      reader.interrupt();
      reader.join(WsClient.WAIT.toMillis());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Frames

  /** One fuzz frame; {@code id} is set when a correlated answer can be recognised. */
  record Frame(String category, String text, byte[] binary, String id, boolean mustFail) {}

  /**
   * Draws frames from generators and mutators with one seeded Random, so a seed replays the exact
   * sequence of a connection.
   */
  static final class FrameGenerator {
    private static final String RAW = "@@RAW@@";
    private static final String[] WRONG_VALUES = {
        "null", "true", "false", "0", "-1", "1.5", "\"\"", "\"str\"", "\"123\"", "[]", "[1,2]", "{}",
        "{\"a\":1}", "[[]]", "[null]", "1e308", "-0", "\"true\"", "\"null\"", "{\"x\":{}}"};
    private static final String[] HUGE_NUMBERS = {
        "1e308", "1e999", "-1e999", "1E-400", "-0", "-0.0", "0e0", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1.7976931348623157e309", "4.9e-325",
        "123456789012345678901234567890.123456789"};
    private static final String[] PAYLOAD_FIELDS = {
        "token_id", "type", "coord_x", "coord_y", "coord_z", "flags", "weight", "metadata", "limit", "offset",
        "level", "min", "max", "source_id", "target_id", "bidirectional", "decay_rate", "direction", "max_depth",
        "connection_id", "expected_version", "topic", "since", "token"};
    private static final String[] ENVELOPE_FIELDS = {"id", "type", "payload", "timestamp"};
    private static final String[] UNICODE = {
        "\\ud800", "\\udc00", "\\udbff\\udfff", "\\ud800\\ud800", "\\udfff\\ud800", "\ufeff", "\u202e\u05e9\u05dc",
        "\u0645\u0631\u062d\u0628\u0627", "\ud83d\ude00", "\ud83d\udc69\u200d\ud83d\udcbb", "e\u0301\u0301\u0301\u0301",
        "\\u0000", "\u00c0\u00af", "\u00e0\u0080\u00af", "\u00f0\u0080\u0080\u00af", "\uffff", "\ufffe", "\u200b",
        "\\u001f", "\u2028\u2029", "\\\\", "\\\"", "%00", "\u0130\u0131"};
    private static final String[] UNKNOWN_TYPES = {
        "token.explode", "TOKEN.GET", " ping", "ping ", "pong", "error", "connection.established", "token.created",
        "graph.connected", "system.broadcast", "token.", ".get", "token..get", "subscribe\\u0000", "ping\\t",
        "tokens", "graph", "auth2", "PING", "token.get/../ping"};

    private final Random random;
    private final Map<String, ObjectNode> goldens;
    private final List<String> types;

    FrameGenerator(Random random, Map<String, ObjectNode> goldens) {
      this.random = random;
      this.goldens = goldens;
      this.types = new ArrayList<>(goldens.keySet());
    }

    Frame next(String id) {
      int pick = random.nextInt(100);
      if (pick < 12) {
        return brokenJson(id);
      } else if (pick < 21) {
        return envelopeWrongType(id);
      } else if (pick < 33) {
        return payloadWrongType(id);
      } else if (pick < 41) {
        return hugeNumber(id);
      } else if (pick < 48) {
        return deepNesting(id);
      } else if (pick < 58) {
        return unicode(id);
      } else if (pick < 64) {
        return oversizedField(id);
      } else if (pick < 70) {
        return unknownType(id);
      } else if (pick < 84) {
        return mutatedGolden(id);
      } else if (pick < 91) {
        return binary();
      }
      return valid(id);
    }

    /** A frame just under the frame limit: metadata far over 16 KiB, so it must be refused, not dropped. */
    Frame nearLimit(String id) {
      ObjectNode envelope = golden("token.create", id);
      String prefix = Json.write(envelope).replace("\"metadata\":{", "\"metadata\":{\"pad\":\"");
      int room = MAX_FRAME - prefix.length() - 64;
      String text = prefix.replace("\"pad\":\"", "\"pad\":\"" + "m".repeat(room) + "\",");
      return new Frame("near-limit", text, null, id, true);
    }

    private ObjectNode golden(String type, String id) {
      ObjectNode envelope = goldens.get(type).deepCopy();
      if (id == null) {
        envelope.remove("id");
      } else {
        envelope.put("id", id);
      }
      return envelope;
    }

    private String anyType() {
      return types.get(random.nextInt(types.size()));
    }

    private <T> T pick(T[] values) {
      return values[random.nextInt(values.length)];
    }

    private static String render(JsonNode node, String raw) {
      return Json.write(node).replace("\"" + RAW + "\"", raw);
    }

    Frame brokenJson(String id) {
      String valid = Json.write(golden(anyType(), id));
      String text = switch (random.nextInt(10)) {
        case 0 -> valid.substring(0, random.nextInt(valid.length()));
        case 1 -> valid + pick(new String[] {"}", "x", "{}", " 1", ",", "]", "\"", " {\"id\":\"z\"}", "\u0000"});
        case 2 -> "[".repeat(1 + random.nextInt(5)) + valid;
        case 3 -> valid.substring(0, valid.length() - 1) + ",\"payload\":{}}";
        case 4 -> valid.replace("\"payload\":{", "\"payload\":{\"k\":1,\"k\":2,");
        case 5 -> pick(new String[] {"", " ", "\n\t \r", "\u0000", "{\u0000}", "\u0000\u0000\u0000"});
        case 6 -> {
          int at = random.nextInt(valid.length());
          yield valid.substring(0, at) + "\u0000" + valid.substring(at);
        }
        case 7 -> valid.replace("\"", "'");
        case 8 -> valid.replace(":", "=");
        default -> pick(new String[] {"{", "}", "{{}}", "{\"id\":}", "{\"id\":\"x\",}", "{,}", "nul", "tru",
            "{\"type\":\"ping\",\"payload\":{}}}", "/* c */ {}", "{\"a\":1} // c", "NaN", "Infinity"});
      };
      return new Frame("broken-json", text, null, id, true);
    }

    Frame envelopeWrongType(String id) {
      String field = pick(ENVELOPE_FIELDS);
      String raw = pick(WRONG_VALUES);
      ObjectNode envelope = golden(anyType(), id);
      envelope.put(field, RAW);
      // A null id or timestamp counts as absent, so such a frame may still be valid.
      boolean mustFail = !(raw.equals("null") && (field.equals("id") || field.equals("timestamp")))
          && !(field.equals("timestamp") && (raw.equals("0") || raw.equals("-1") || raw.equals("-0")))
          && !(field.equals("payload") && raw.startsWith("{"));
      return new Frame("envelope-wrong-type", render(envelope, raw), null, field.equals("id") ? null : id,
          mustFail && !field.equals("payload"));
    }

    Frame payloadWrongType(String id) {
      String type = anyType();
      ObjectNode envelope = golden(type, id);
      ObjectNode payload = (ObjectNode) envelope.get("payload");
      List<String> fields = new ArrayList<>();
      payload.propertyNames().forEach(fields::add);
      String field = fields.isEmpty() || random.nextInt(4) == 0 ? pick(PAYLOAD_FIELDS)
          : fields.get(random.nextInt(fields.size()));
      payload.put(field, RAW);
      return new Frame("payload-wrong-type", render(envelope, pick(WRONG_VALUES)), null, id, false);
    }

    Frame hugeNumber(String id) {
      ObjectNode envelope = golden(anyType(), id);
      String raw = random.nextInt(4) == 0 ? digits(1 + random.nextInt(5000)) : pick(HUGE_NUMBERS);
      if (random.nextInt(3) == 0) {
        envelope.put("timestamp", RAW);
      } else {
        ObjectNode payload = (ObjectNode) envelope.get("payload");
        List<String> fields = new ArrayList<>();
        payload.propertyNames().forEach(fields::add);
        String field = fields.isEmpty() ? pick(PAYLOAD_FIELDS) : fields.get(random.nextInt(fields.size()));
        if (payload.get(field) instanceof ArrayNode array && !array.isEmpty()) {
          array.set(random.nextInt(array.size()), Json.tree(RAW));
        } else {
          payload.put(field, RAW);
        }
      }
      return new Frame("huge-number", render(envelope, raw), null, id, false);
    }

    private String digits(int n) {
      StringBuilder sb = new StringBuilder(n + 1);
      if (random.nextBoolean()) {
        sb.append('-');
      }
      sb.append((char) ('1' + random.nextInt(9)));
      for (int i = 1; i < n; i++) {
        sb.append((char) ('0' + random.nextInt(10)));
      }
      return sb.toString();
    }

    Frame deepNesting(String id) {
      int[] depths = {10, 100, 499, 500, 501, 999, 1000, 1001, 2000, 5000, 10_000};
      int depth = random.nextInt(3) == 0 ? 10 + random.nextInt(10_000) : depths[random.nextInt(depths.length)];
      boolean arrays = random.nextBoolean();
      boolean balanced = random.nextInt(5) != 0;
      String open = arrays ? "[" : "{\"a\":";
      String close = arrays ? "]" : "}";
      String nested = open.repeat(depth) + "1" + (balanced ? close.repeat(depth) : "");
      int where = random.nextInt(4);
      String text = switch (where) {
        case 0 -> nested;
        case 1 -> render(put(golden(anyType(), id), "payload", RAW), nested);
        case 2 -> {
          ObjectNode envelope = golden("token.create", id);
          ((ObjectNode) envelope.get("payload")).put("metadata", RAW);
          yield render(envelope, "{\"deep\":" + nested + "}");
        }
        default -> render(put(golden(anyType(), id), "id", RAW), nested);
      };
      // Jackson allows 500 levels; alone or as the id the value is never a valid envelope.
      return new Frame("deep-nesting", text, null, id, depth >= 500 || !balanced || where == 0 || where == 3);
    }

    private static ObjectNode put(ObjectNode node, String field, String value) {
      node.put(field, value);
      return node;
    }

    Frame unicode(String id) {
      String odd = pick(UNICODE) + (random.nextBoolean() ? pick(UNICODE) : "");
      String text;
      String trackedId = id;
      switch (random.nextInt(6)) {
        case 0 -> {
          text = render(put(golden(anyType(), id), "id", RAW), "\"" + id + odd + "\"");
          trackedId = null;
        }
        case 1 -> text = render(put(golden(anyType(), id), "type", RAW), "\"" + odd + "\"");
        case 2 -> {
          String type = pick(new String[] {"token.create", "token.update", "token.count", "token.list"});
          ObjectNode envelope = golden(type, id);
          ((ObjectNode) envelope.get("payload")).put("type", RAW);
          text = render(envelope, "\"u" + odd + "\"");
        }
        case 3 -> {
          ObjectNode envelope = golden(random.nextBoolean() ? "subscribe" : "unsubscribe", id);
          ((ObjectNode) envelope.get("payload")).put("topic", RAW);
          text = render(envelope, "\"" + pick(new String[] {"tokens", "token:", "graph", "system"}) + odd + "\"");
        }
        case 4 -> {
          ObjectNode envelope = golden("token.create", id);
          ((ObjectNode) envelope.get("payload")).put("metadata", RAW);
          text = render(envelope, "{\"" + odd + "\":\"" + odd + "\",\"k\":[\"" + odd + "\"]}");
        }
        default -> text = pick(new String[] {"\ufeff", "\ufeff\ufeff", ""}) + Json.write(golden(anyType(), id));
      }
      return new Frame("unicode", text, null, trackedId, false);
    }

    Frame oversizedField(String id) {
      switch (random.nextInt(7)) {
        case 0 -> {
          return new Frame("oversized-field", render(put(golden(anyType(), id), "type", RAW),
              "\"" + letters(10_000) + "\""), null, id, true);
        }
        case 1 -> {
          return new Frame("oversized-field", render(put(golden(anyType(), null), "id", RAW),
              "\"" + letters(random.nextBoolean() ? 129 : 10_000) + "\""), null, null, true);
        }
        case 2, 3 -> {
          // Metadata around 16 KiB as compact UTF-8: a few bytes under or over the limit.
          String type = random.nextBoolean() ? "token.create" : "graph.connect";
          ObjectNode envelope = golden(type, id);
          int target = 16 * 1024 + random.nextInt(17) - 8;
          String pad = letters(target - "{\"p\":\"\"}".length());
          ((ObjectNode) envelope.get("payload")).put("metadata", RAW);
          return new Frame("oversized-field", render(envelope, "{\"p\":\"" + pad + "\"}"), null, id,
              target > 16 * 1024);
        }
        case 4 -> {
          ObjectNode envelope = golden("token.create", id);
          ((ObjectNode) envelope.get("payload")).put("type", letters(random.nextBoolean() ? 51 : 10_000));
          return new Frame("oversized-field", Json.write(envelope), null, id, true);
        }
        case 5 -> {
          ObjectNode envelope = golden("subscribe", id);
          ((ObjectNode) envelope.get("payload")).put("topic", "token:" + letters(10_000));
          return new Frame("oversized-field", Json.write(envelope), null, id, true);
        }
        default -> {
          ObjectNode envelope = golden("auth", id);
          ((ObjectNode) envelope.get("payload")).put("token", letters(100_000));
          return new Frame("oversized-field", Json.write(envelope), null, id, false);
        }
      }
    }

    private String letters(int n) {
      // Lower case only: an echoed piece of it must never look like a class name or SQL to the leak check.
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) {
        chars[i] = (char) ('a' + random.nextInt(26));
      }
      return new String(chars);
    }

    Frame unknownType(String id) {
      String type = random.nextInt(4) == 0 ? letters(1 + random.nextInt(40)) : pick(UNKNOWN_TYPES);
      return new Frame("unknown-type", render(put(golden(anyType(), id), "type", RAW), "\"" + type + "\""), null,
          id, true);
    }

    Frame mutatedGolden(String id) {
      ObjectNode envelope = golden(anyType(), id);
      boolean inPayload = random.nextBoolean() && !envelope.get("payload").isEmpty();
      ObjectNode target = inPayload ? (ObjectNode) envelope.get("payload") : envelope;
      List<String> fields = new ArrayList<>();
      target.propertyNames().forEach(fields::add);
      String field = fields.get(random.nextInt(fields.size()));
      boolean idSurvives = !(target == envelope && field.equals("id"));
      switch (random.nextInt(3)) {
        case 0 -> {
          target.remove(field);
          return new Frame("mutated-drop", Json.write(envelope), null, idSurvives ? id : null, false);
        }
        case 1 -> {
          // Duplicate key: Jackson's tree would silently keep one, so write it textually.
          String pair = "\"" + field + "\":" + Json.write(target.get(field));
          String text = Json.write(envelope);
          text = inPayload
              ? text.replace("\"payload\":{", "\"payload\":{" + pair + ",")
              : "{" + pair + "," + text.substring(1);
          return new Frame("mutated-duplicate", text, null, id, true);
        }
        default -> {
          target.put(field, RAW);
          return new Frame("mutated-retype", render(envelope, pick(WRONG_VALUES)), null, idSurvives ? id : null,
              false);
        }
      }
    }

    Frame binary() {
      byte[] bytes;
      if (random.nextInt(4) == 0) {
        bytes = Json.write(golden(anyType(), null)).getBytes(StandardCharsets.UTF_8);
      } else {
        bytes = new byte[random.nextInt(4097)];
        random.nextBytes(bytes);
      }
      return new Frame("binary", null, bytes, null, true);
    }

    Frame valid(String id) {
      String type = anyType();
      // Now and then without an id: the answer is then correlated to an id the server made up.
      boolean withId = random.nextInt(5) != 0;
      return new Frame("valid-" + (MessageRegistry.request(type).orElseThrow().route() == Route.GATEWAY
          ? "gateway" : "service"), Json.write(golden(type, withId ? id : null)), null, withId ? id : null, false);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Bookkeeping and reporting

  /** What one fuzzing connection sent and received. */
  static final class ConnectionReport {
    final int index;
    final long seed;
    final Map<String, Frame> pending = new HashMap<>();
    final Set<String> answered = new HashSet<>();
    final Map<String, Integer> categories = new TreeMap<>();
    final Map<String, Integer> kinds = new TreeMap<>();
    final java.util.ArrayDeque<Frame> recent = new java.util.ArrayDeque<>();
    int sent;
    int answers;
    int correlated;
    int uncorrelated;
    int foreign;
    int deliveries;
    boolean sentinelSeen;
    boolean closed;

    ConnectionReport(int index, long seed) {
      this.index = index;
      this.seed = seed;
    }

    ConnectionReport closedOr(WsClient client) {
      closed = client.isClosed();
      return this;
    }

    @Override
    public String toString() {
      return "sent=" + sent + " answers=" + answers + " (correlated " + correlated + ", uncorrelated " + uncorrelated
          + ", server ids " + foreign + "), deliveries=" + deliveries + ", connection seed " + seed;
    }
  }

  private void report(List<ConnectionReport> reports, Map<String, Integer> closeCodes, SideClient side,
      long heapBefore, long heapAfter, long started) {
    Map<String, Integer> categories = new TreeMap<>();
    Map<String, Integer> kinds = new TreeMap<>();
    for (ConnectionReport r : reports) {
      r.categories.forEach((k, v) -> categories.merge(k, v, Integer::sum));
      r.kinds.forEach((k, v) -> kinds.merge(k, v, Integer::sum));
      log.info("Fuzz connection {}: {}", r.index, r);
    }
    log.info("Fuzz seed {}: frames by category {} (total {}), oversized frames {}", SEED, categories,
        categories.values().stream().mapToInt(n -> n).sum(), closeCodes.values().stream().mapToInt(n -> n).sum());
    log.info("Fuzz answers by kind {}", kinds);
    log.info("Fuzz close codes of oversized frames {}", closeCodes);
    log.info("Fuzz used heap before {} MiB, after {} MiB", heapBefore / MIB, heapAfter / MIB);
    log.info("Side client pings {} pongs {}; round trip before the fuzz p50 {} ms p99 {} ms ({} pings), during "
            + "p50 {} ms p99 {} ms ({} pings)", side.sent.get(), side.received.get(),
        percentile(side.before, 50), percentile(side.before, 99), side.before.size(),
        percentile(side.duringFuzz, 50), percentile(side.duringFuzz, 99), side.duringFuzz.size());
    log.info("Fuzz wall time {} s", Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
  }

  private static String percentile(List<Long> nanos, int p) {
    List<Long> sorted;
    synchronized (nanos) {
      sorted = new ArrayList<>(nanos);
    }
    if (sorted.isEmpty()) {
      return "-";
    }
    Collections.sort(sorted);
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return String.format("%.2f", sorted.get(Math.max(0, index)) / 1e6);
  }

  /** WARN and ERROR events logged while the fuzz ran. */
  static final class LogCapture extends UnsynchronizedAppenderBase<ILoggingEvent> {
    final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
        event.prepareForDeferredProcessing();
        events.add(event);
      }
    }
  }

  /**
   * The test's Kafka broker runs in this JVM; on a loaded machine its controller logs ERRORs about its own
   * slowness. Those are the broker's, not the gateway's, and are reported as tolerated.
   */
  private static boolean isEmbeddedBroker(String logger) {
    return logger.startsWith("kafka.") || logger.startsWith("org.apache.kafka.controller")
        || logger.startsWith("org.apache.kafka.raft") || logger.startsWith("org.apache.kafka.server")
        || logger.startsWith("org.apache.kafka.storage") || logger.startsWith("org.apache.kafka.metadata")
        || logger.startsWith("org.apache.kafka.image") || logger.equals("state.change.logger");
  }

  private void assertLogs(LogCapture logs) {
    List<String> errors = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    List<String> noise = new ArrayList<>();
    for (ILoggingEvent event : logs.events) {
      String line = event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " [" + event.getThrowableProxy().getClassName() + "]");
      if (event.getLevel() == Level.ERROR && !isEmbeddedBroker(event.getLoggerName())) {
        errors.add(line);
      } else if (event.getLoggerName().startsWith("io.neurograph") && event.getThrowableProxy() != null) {
        ours.add(line);
      } else {
        noise.add(line);
      }
    }
    noise.forEach(line -> log.info("Tolerated log event during the fuzz: {}", line));
    String tolerated = "tolerated WARN events from elsewhere: " + noise;
    assertThat(errors).as("ERROR events during the fuzz; %s", tolerated).isEmpty();
    assertThat(ours).as("gateway WARN events with a stack trace; %s", tolerated).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------
  // Helpers

  private WsClient connect() {
    WsClient client = WsClient.connect(URI.create("ws://localhost:" + port + "/ws"));
    JsonNode first = client.next();
    assertThat(text(first.get("type"))).isEqualTo("connection.established");
    return client;
  }

  /** One golden client sample per request type, the starting point of most frames. */
  private static Map<String, ObjectNode> goldens() throws IOException {
    Map<String, ObjectNode> goldens = new LinkedHashMap<>();
    for (RequestType<?> type : MessageRegistry.requests()) {
      String path = "/io/neurograph/contracts/golden/client/" + type.name() + ".json";
      try (InputStream in = FuzzTest.class.getResourceAsStream(path)) {
        assertThat(in).as(path).isNotNull();
        goldens.put(type.name(), (ObjectNode) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return goldens;
  }

  /**
   * Used heap once it has settled: GC until two readings in a row are within 2 MiB (a reading taken right
   * after one collection still holds garbage other threads made meanwhile).
   */
  private static long stableUsedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong last = new AtomicLong(-1);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      long used = memory.getHeapMemoryUsage().getUsed();
      long previous = last.getAndSet(used);
      return previous >= 0 && Math.abs(used - previous) < 2 * MIB;
    });
    return last.get();
  }

  private static String text(JsonNode node) {
    return node == null || !node.isString() ? null : node.stringValue();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "<binary>";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
  }
}
