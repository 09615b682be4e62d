package io.neurograph.tokens.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.tokens.requests.Reply;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times every handled command and query, and writes one line per request to the logger
 * {@code neurograph.requests} (INFO; silence it with {@code logging.level.neurograph.requests=WARN}).
 * Tags are bounded: the request type (or {@code unknown}) and the outcome ({@code ok}, an error code, or
 * {@code failed} when handling threw and the record will be retried or dead-lettered). Meters are
 * looked up once per type and outcome, then reused. The gauge {@code neurograph.commands.in.flight}
 * shows how many records all consumer threads process right now.
 */
final class RequestMetrics {

  /** Logger of the per-request lines. */
  static final String REQUEST_LOG = "neurograph.requests";
  /** Outcome of a request whose handling threw (retried or dead-lettered later). */
  static final String FAILED = "failed";
  private static final String OK = "ok";
  private static final String UNKNOWN = "unknown";
  private static final Set<String> ERROR_CODES =
      Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
  // Histogram buckets of the handling time: from a cached read to the processing timeout.
  private static final Duration[] BUCKETS = Arrays.stream(
          new long[] {1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000})
      .mapToObj(Duration::ofMillis)
      .toArray(Duration[]::new);
  private static final Logger log = LoggerFactory.getLogger(REQUEST_LOG);

  private final MeterRegistry registry;
  private final Predicate<String> knownType;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  RequestMetrics(MeterRegistry registry, Predicate<String> knownType) {
    this.registry = registry;
    this.knownType = knownType;
    Gauge.builder("neurograph.commands.in.flight", inFlight, AtomicInteger::get)
        .description("Command and query records being processed right now, all consumer threads together")
        .register(registry);
  }

  /** Counts a record whose processing begins. */
  void began() {
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
  }

  /** Counts a record whose processing ended, whichever way (call once per {@link #began}). */
  void ended() {
    inFlight.decrementAndGet();
  }

  /** The most records that were in flight at once since the last call (the first: since start-up). */
  int takePeakInFlight() {
    return peakInFlight.getAndSet(inFlight.get());
  }

  /** The type as a tag value: itself when a handler exists, else {@code unknown} (client input is unbounded). */
  String typeTag(String type) {
    return knownType.test(type) ? type : UNKNOWN;
  }

  /** Records a request answered with {@code reply}. */
  void handled(CommandMessage command, String typeTag, Reply reply, long nanos) {
    record(command, typeTag, outcome(reply), nanos);
  }

  /** Records a request whose handling threw. */
  void failed(CommandMessage command, String typeTag, long nanos) {
    record(command, typeTag, FAILED, nanos);
  }

  private void record(CommandMessage command, String typeTag, String outcome, long nanos) {
    timers.computeIfAbsent(typeTag, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    counters.computeIfAbsent(typeTag, type -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, result -> counter(typeTag, result))
        .increment();
    if (log.isInfoEnabled()) {
      long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
      log.atInfo()
          .addKeyValue("type", command.type())
          .addKeyValue("request_id", command.requestId())
          .addKeyValue("outcome", outcome)
          .addKeyValue("duration_ms", micros / 1000.0)
          .log("{} {} -> {} in {} ms", command.type(), command.requestId(), outcome, micros / 1000.0);
    }
  }

  private static String outcome(Reply reply) {
    if (!Reply.ERROR.equals(reply.type())) {
      return OK;
    }
    String code = reply.payload().path("code").asString("");
    return ERROR_CODES.contains(code) ? code : "error";
  }

  private Timer timer(String type) {
    return Timer.builder("neurograph.requests.duration")
        .description("Time from taking a command or query off Kafka to its reply being acknowledged")
        .tag("type", type)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private Counter counter(String type, String outcome) {
    return Counter.builder("neurograph.requests.handled")
        .description("Commands and queries handled, by type and outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry);
  }
}
