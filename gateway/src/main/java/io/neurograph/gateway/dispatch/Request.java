package io.neurograph.gateway.dispatch;

import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.neurograph.contracts.Envelope;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.system.ErrorPayload;
import io.neurograph.gateway.observability.GatewayMetrics;
import io.neurograph.gateway.observability.RequestTracing;
import io.neurograph.gateway.session.Outgoing;
import io.neurograph.gateway.session.Session;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.ObjectNode;

/**
 * One inbound frame on its way to its answer: the decoded request (when it was accepted), its trace span and
 * {@code traceparent}, and when it arrived. Every answer goes through {@link Replies}, which puts the
 * {@code traceparent} on it; when the connection's writer takes the answer, the round trip is timed, the
 * request's log line written and its span ended (so nothing of that runs while a handler holds a lock).
 */
public final class Request implements Runnable {

  private final DecodedFrame.Accepted frame;
  private final String correlationId;
  private final String type;
  private final Span span;
  private final String traceparent;
  private final long startNanos = System.nanoTime();
  private final Timer duration;
  private final RequestTracing tracing;
  private final GatewayMetrics metrics;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile String outcome;

  private Request(DecodedFrame.Accepted frame, String correlationId, String type, String clientTraceparent,
      RequestTracing tracing, GatewayMetrics metrics) {
    this.frame = frame;
    this.correlationId = correlationId;
    this.type = type;
    this.tracing = tracing;
    this.metrics = metrics;
    this.span = tracing.start(type, clientTraceparent);
    this.traceparent = RequestTracing.traceparent(span);
    this.duration = metrics.requestDuration(type);
  }

  /** An accepted request. */
  static Request accepted(DecodedFrame.Accepted frame, RequestTracing tracing, GatewayMetrics metrics) {
    return new Request(frame, frame.id(), frame.type().name(), frame.traceparent(), tracing, metrics);
  }

  /**
   * A frame that was refused before it was read as a request; answers correlate with {@code correlationId}.
   * {@code clientTraceparent} is the envelope's, when the frame got that far.
   */
  static Request refused(String correlationId, String clientTraceparent, RequestTracing tracing,
      GatewayMetrics metrics) {
    return new Request(null, correlationId, GatewayMetrics.UNKNOWN, clientTraceparent, tracing, metrics);
  }

  /** The request id: the client's, or one the server assigned. */
  public String id() {
    return frame.id();
  }

  /** Whether {@link #id()} came from the client. */
  public boolean clientAssignedId() {
    return frame.clientAssignedId();
  }

  /** The request type. */
  public RequestType<?> type() {
    return frame.type();
  }

  /** The normalized payload. */
  public ObjectNode payload() {
    return frame.payload();
  }

  /** The bound payload, typed. */
  public <P> P value(RequestType<P> expected) {
    return frame.value(expected);
  }

  /** The decoded frame; null when the frame was refused before it was read. */
  public DecodedFrame.Accepted frame() {
    return frame;
  }

  /** The W3C trace context of this request's span (same trace id as the client's, when it sent a valid one). */
  public String traceparent() {
    return traceparent;
  }

  /** Sends the answer {@code type} with {@code payload}; the request's outcome. */
  void answer(Session session, String type, Object payload) {
    send(session, Envelope.reply(type, payload, correlationId, traceparent), type);
  }

  /** Sends an {@code error}; the request's outcome. */
  void fail(Session session, ErrorPayload error) {
    metrics.error(error.code());
    send(session, Envelope.reply("error", error, correlationId, traceparent), "error " + error.code().name());
  }

  private void send(Session session, Envelope envelope, String outcome) {
    // Set before the frame is queued: the writer may take it at once.
    this.outcome = outcome;
    if (!session.offer(Outgoing.reply(envelope, this))) {
      finish(outcome + " (not delivered: connection closing)");
    }
  }

  /** Logs and ends the request when nothing answered it (its connection closed first). */
  void finishUnanswered() {
    if (outcome == null) {
      finish("no answer (connection closed)");
    }
  }

  private void finish(String outcome) {
    if (finished.compareAndSet(false, true)) {
      tracing.finish(span, type, correlationId, outcome, startNanos);
    }
  }

  /** The answer was taken by the connection's writer: the round trip is over. */
  @Override
  public void run() {
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    finish(outcome);
  }
}
