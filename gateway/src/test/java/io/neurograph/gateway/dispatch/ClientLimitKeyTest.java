package io.neurograph.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.gateway.auth.Principal;
import io.neurograph.gateway.config.GatewayProperties;
import io.neurograph.gateway.session.Session;
import io.neurograph.gateway.session.SessionRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Whom a request is charged to across instances: the subject when authenticated, else the client id. */
class ClientLimitKeyTest {

  private final SessionRegistry registry = new SessionRegistry(new GatewayProperties("/ws", null,
      Duration.ofSeconds(20), Duration.ofSeconds(60), DataSize.ofMegabytes(1), DataSize.ofKilobytes(16),
      Duration.ofSeconds(10), 10, 50, 100, 100, new GatewayProperties.Outbound(10, DataSize.ofMegabytes(1), Duration.ofSeconds(5)),
      new GatewayProperties.RateLimit(true, 200, 100),
      new GatewayProperties.Resume(8, 1000, Duration.ofSeconds(10), Duration.ofSeconds(30)), List.of()));

  @Test
  void anAuthenticatedSubjectIsChargedAcrossItsClients() {
    Session web = registry.open("web-1", "test");
    Session mobile = registry.open("mobile-7", "test");
    Principal alice = new Principal("alice", Set.of("tokens:read"), null, false);
    web.authenticate(alice);
    mobile.authenticate(alice);
    assertThat(RequestDispatcher.clientLimitKey(web)).isEqualTo("sub:alice")
        .isEqualTo(RequestDispatcher.clientLimitKey(mobile));
  }

  @Test
  void withoutASubjectTheClientIdIsCharged() {
    Session anonymous = registry.open("web-1", "test");
    anonymous.authenticate(Principal.ANONYMOUS);
    Session notYet = registry.open("web-2", "test");
    assertThat(RequestDispatcher.clientLimitKey(anonymous)).isEqualTo("client:web-1");
    assertThat(RequestDispatcher.clientLimitKey(notYet)).isEqualTo("client:web-2");
  }
}
