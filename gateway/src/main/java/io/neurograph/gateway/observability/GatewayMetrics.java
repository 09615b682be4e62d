package io.neurograph.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.gateway.session.Outgoing;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionObserver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The gateway's own meters ({@code neurograph.gateway.*}). Every tag value comes from a fixed set (message
 * types of the registry, error codes, close codes), so all meters are registered up front and the hot
 * paths only look them up in immutable maps: no tag building, no allocation, no lock per message.
 */
@Component
public class GatewayMetrics implements SessionObserver {

  /** Prefix of every gateway meter. */
  public static final String PREFIX = "neurograph.gateway.";
  /** Tag value for a message type the registry does not know (or a frame that could not be read). */
  public static final String UNKNOWN = "unknown";
  /** Close codes the gateway sends; any other is tagged {@code other}, a close by the client {@code peer}. */
  static final List<Integer> CLOSE_CODES = List.of(1000, 1001, 1009, 1011, 4001, 4008);

  private final Counter opened;
  private final Map<Integer, Counter> closedByCode;
  private final Counter closedByPeer;
  private final Counter closedOther;
  private final Map<String, Counter> in;
  private final Map<String, Counter> out;
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Map<String, Timer> requestDurations;
  private final Timer eventAge;
  private final Counter slowConsumerCloses;

  /** Registers every meter. */
  public GatewayMetrics(MeterRegistry registry) {
    opened = Counter.builder(PREFIX + "connections.opened").description("WebSocket connections opened")
        .register(registry);
    Map<Integer, Counter> closed = new HashMap<>();
    for (int code : CLOSE_CODES) {
      closed.put(code, closedCounter(registry, Integer.toString(code)));
    }
    closedByCode = Map.copyOf(closed);
    closedByPeer = closedCounter(registry, "peer");
    closedOther = closedCounter(registry, "other");
    List<String> requestTypes = withUnknown(MessageRegistry.requests().stream().map(RequestType::name).toList());
    in = byType(requestTypes, type -> Counter.builder(PREFIX + "messages.in")
        .description("Frames received, by request type (unknown: unreadable or unknown type)")
        .tag("type", type).register(registry));
    out = byType(withUnknown(MessageRegistry.serverMessages().stream().map(t -> t.name()).toList()),
        type -> Counter.builder(PREFIX + "messages.out")
            .description("Frames taken by connection writers, by message type")
            .tag("type", type).register(registry));
    for (ErrorCode code : ErrorCode.values()) {
      errors.put(code, Counter.builder(PREFIX + "errors").description("error frames sent, by code")
          .tag("code", code.name()).register(registry));
    }
    requestDurations = byType(requestTypes, type -> Timer.builder(PREFIX + "request.duration")
        .description("From a request frame received to its answer taken by the connection's writer")
        .tag("type", type)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
    eventAge = Timer.builder(PREFIX + "event.age")
        .description("From a live event's Kafka record timestamp to its frame taken by a connection's writer")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    slowConsumerCloses = Counter.builder(PREFIX + "slow.consumer.closes")
        .description("Connections closed with 4008 because their outbound buffer overflowed").register(registry);
  }

  private static Counter closedCounter(MeterRegistry registry, String code) {
    return Counter.builder(PREFIX + "connections.closed")
        .description("WebSocket connections ended, by the close code the gateway sent (peer: the client closed)")
        .tag("code", code).register(registry);
  }

  private static List<String> withUnknown(List<String> types) {
    return java.util.stream.Stream.concat(types.stream(), java.util.stream.Stream.of(UNKNOWN)).distinct().toList();
  }

  private static <M> Map<String, M> byType(List<String> types, Function<String, M> meter) {
    Map<String, M> meters = new HashMap<>();
    types.forEach(type -> meters.put(type, meter.apply(type)));
    return Map.copyOf(meters);
  }

  /** Counts a received frame; {@code type} is a request type name or {@link #UNKNOWN}. */
  public void received(String type) {
    in.getOrDefault(type, in.get(UNKNOWN)).increment();
  }

  /** The round-trip timer of a request type ({@link #UNKNOWN} for anything else). */
  public Timer requestDuration(String type) {
    return requestDurations.getOrDefault(type, requestDurations.get(UNKNOWN));
  }

  /** Counts an error frame. */
  public void error(ErrorCode code) {
    errors.get(code).increment();
  }

  @Override
  public void opened() {
    opened.increment();
  }

  @Override
  public void closed(int closeCode) {
    Counter counter = closeCode == Session.PEER_CLOSED ? closedByPeer : closedByCode.get(closeCode);
    (counter == null ? closedOther : counter).increment();
  }

  @Override
  public void written(Outgoing frame) {
    Counter counter = frame.type() == null ? null : out.get(frame.type());
    (counter == null ? out.get(UNKNOWN) : counter).increment();
    if (frame.eventTime() > 0) {
      eventAge.record(Math.max(0, System.currentTimeMillis() - frame.eventTime()), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void slowConsumer() {
    slowConsumerCloses.increment();
  }
}
