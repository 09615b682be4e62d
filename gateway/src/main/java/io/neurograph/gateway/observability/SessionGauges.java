package io.neurograph.gateway.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import org.springframework.stereotype.Component;

/** Gauges read from the open connections when metrics are scraped (nothing on the hot path). */
@Component
class SessionGauges implements MeterBinder {

  private final SessionRegistry sessions;

  SessionGauges(SessionRegistry sessions) {
    this.sessions = sessions;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(GatewayMetrics.PREFIX + "connections", sessions, SessionRegistry::size)
        .description("Open WebSocket connections").register(registry);
    Gauge.builder(GatewayMetrics.PREFIX + "outbound.fill.max", sessions, SessionGauges::maxFill)
        .description("Fullest outbound buffer of any connection, 0 to 1 (1 means the next frame closes it with 4008)")
        .register(registry);
    Gauge.builder(GatewayMetrics.PREFIX + "outbound.queued", sessions, SessionGauges::queued)
        .description("Frames waiting to be written, all connections together").register(registry);
  }

  private static double maxFill(SessionRegistry sessions) {
    double max = 0;
    for (Session session : sessions.sessions()) {
      max = Math.max(max, session.outboundFill());
    }
    return max;
  }

  private static double queued(SessionRegistry sessions) {
    long queued = 0;
    for (Session session : sessions.sessions()) {
      queued += session.queuedMessages();
    }
    return queued;
  }
}
