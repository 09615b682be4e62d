package io.neurograph.graph.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Continues the W3C trace of a consumed record: one child span per record, whose {@code traceparent}
 * (same trace id, the child's span id) goes onto whatever the record causes. Used for command records
 * and for the token events of the projection.
 *
 * <p>The span is opened through an observation of a registry of its own that only traces: Reactor's
 * automatic context propagation ({@code spring.reactor.context-propagation=auto}) carries the current
 * observation onto the R2DBC and Redis threads and re-opens its scope there, so log lines written there
 * carry the trace id too. The application's registry would also time every record, which
 * {@link RequestMetrics} already does with meters it looks up once.
 */
public final class RecordTracing {

  private final Tracer tracer;
  private final Propagator propagator;
  private final ObservationRegistry registry = ObservationRegistry.create();

  /** Traces with the application's tracer and its W3C propagator. */
  public RecordTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
    registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
        new DefaultTracingObservationHandler(tracer)));
  }

  /** A started observation whose span is a child of the record's {@code traceparent} (a new trace without one). */
  public Observation start(ConsumerRecord<?, ?> record, String name) {
    ReceiverContext<ConsumerRecord<?, ?>> context = new ReceiverContext<>(CommandRecords::header);
    context.setCarrier(record);
    // The trace comes from the record alone: a command may start on a thread where the previous command
    // of its key ended, and a record without traceparent must not continue that one's trace.
    try (Tracer.SpanInScope none = tracer.withSpan(null)) {
      return Observation.createNotStarted(name, () -> context, registry).parentObservation(null).start();
    }
  }

  /** The W3C {@code traceparent} of the current span (call inside the observation's scope), or null. */
  public String currentTraceparent() {
    Span span = tracer.currentSpan();
    if (span == null) {
      return null;
    }
    Map<String, String> headers = new HashMap<>(4);
    propagator.inject(span.context(), headers, Map::put);
    return headers.get(KafkaHeaderNames.TRACEPARENT);
  }
}
