package io.neurograph.graph.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.tokens.TokenId;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConnectDecisionTest {

  private final TokenId source = TokenId.random();
  private final TokenId target = TokenId.random();
  private final GraphConnect connect = new GraphConnect(source, target, "association", 0.5, false, 0, Json.object());

  @Test
  void bothEndsLiveAndNoTwinInserts() {
    assertThat(ConnectDecision.decide(connect, Set.of(source, target), null))
        .isEqualTo(new ConnectDecision.Insert());
  }

  @Test
  void anUnknownEndIsNotFoundNamingIt() {
    var target = (ConnectDecision.NotFound) ConnectDecision.decide(connect, Set.of(source), null);
    assertThat(target.message()).isEqualTo("Target token " + this.target + " not found");

    var source = (ConnectDecision.NotFound) ConnectDecision.decide(connect, Set.of(this.target), null);
    assertThat(source.message()).isEqualTo("Source token " + this.source + " not found");

    var both = (ConnectDecision.NotFound) ConnectDecision.decide(connect, Set.of(), null);
    assertThat(both.missing()).containsExactly(this.source, this.target);
    assertThat(both.message()).contains(this.source.toString(), this.target.toString());
  }

  @Test
  void aTwinEdgeIsAConflictNamingIt() {
    ConnectionId existing = new ConnectionId(UUID.randomUUID());

    assertThat(ConnectDecision.decide(connect, Set.of(source, target), existing))
        .isEqualTo(new ConnectDecision.Conflict(existing));
    assertThat(ConnectDecision.conflictMessage(connect, existing)).contains(existing.toString());
  }

  @Test
  void theConnectionIdIsDerivedFromTheCommandId() {
    assertThat(ConnectionId.derivedFrom("client/req-1")).isEqualTo(ConnectionId.derivedFrom("client/req-1"))
        .isNotEqualTo(ConnectionId.derivedFrom("client/req-2"));
  }
}
