package io.neurograph.gateway.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One span per client request (Micrometer Tracing): it continues the trace of the frame's {@code traceparent}
 * when that is a valid W3C value, else starts a new trace. Its {@code traceparent} goes on the Kafka command and
 * on the answer; one line per request goes to the logger {@code neurograph.requests} with the span in scope, so
 * the trace id is in that line's MDC ({@code traceId}, {@code spanId}). Nothing is exported.
 */
@Component
public class RequestTracing {

  /** The per-request log; {@code logging.level.neurograph.requests=WARN} silences it. */
  static final Logger REQUESTS = LoggerFactory.getLogger("neurograph.requests");

  // Version 00 layout (a later version may append fields); all-zero ids and version ff are invalid.
  private static final Pattern TRACEPARENT =
      Pattern.compile("(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
  private static final Propagator.Getter<String> HEADER =
      (value, key) -> KafkaHeaderNames.TRACEPARENT.equals(key) ? value : null;

  private final Tracer tracer;
  private final Propagator propagator;

  /** Uses the application's tracer and (W3C) propagator. */
  public RequestTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** Whether {@code traceparent} is a W3C trace context this gateway continues. */
  public static boolean valid(String traceparent) {
    return traceparent != null && traceparent.length() >= 55 && TRACEPARENT.matcher(traceparent).matches();
  }

  /**
   * Starts the span of a request named {@code type}: a child of {@code clientTraceparent} when valid, else the
   * root of a new trace (never a child of whatever happens to be in scope on this thread).
   */
  public Span start(String type, String clientTraceparent) {
    Span.Builder builder = valid(clientTraceparent)
        ? propagator.extract(clientTraceparent, HEADER)
        : tracer.spanBuilder().setNoParent();
    return builder.name(type).kind(Span.Kind.SERVER).start();
  }

  /** The W3C {@code traceparent} of {@code span}, or null when tracing is off (no-op spans have no ids). */
  public static String traceparent(Span span) {
    TraceContext context = span.context();
    String traceId = context.traceId();
    String spanId = context.spanId();
    if (traceId == null || traceId.isEmpty() || spanId == null || spanId.isEmpty()) {
      return null;
    }
    if (traceId.length() == 16) {
      traceId = "0000000000000000" + traceId;
    }
    return "00-" + traceId + "-" + spanId + (Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00");
  }

  /**
   * Ends a request's span and logs its line: {@code type}, correlation id, {@code outcome} (the answer's type,
   * or {@code error <CODE>}) and the time since the frame arrived.
   */
  public void finish(Span span, String type, String correlationId, String outcome, long startNanos) {
    if (REQUESTS.isInfoEnabled()) {
      double millis = (System.nanoTime() - startNanos) / 1_000 / 1_000.0;
      try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
        REQUESTS.info("{} {} -> {} in {} ms", type, correlationId, outcome, millis);
      }
    }
    span.tag("outcome", outcome);
    span.end();
  }
}
