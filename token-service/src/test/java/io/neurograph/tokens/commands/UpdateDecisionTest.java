package io.neurograph.tokens.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.tokens.Token;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.contracts.tokens.Vector8;
import io.neurograph.tokens.store.TokenValues;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class UpdateDecisionTest {

  private static final TokenId ID = TokenId.random();
  private static final Token CURRENT = new Token(ID, "demo", Vector8.of(1, 0, 0, 0, 0, 0, 0, 0), Vector8.ZERO,
      Vector8.ZERO, 3, 1.5, object("{\"a\":1}"), Instant.EPOCH, Instant.EPOCH, 4);

  @Test
  void anUnknownTokenIsNotFound() {
    assertThat(UpdateDecision.decide(null, update(null, 2.0, null, null)))
        .isInstanceOf(UpdateDecision.NotFound.class);
  }

  @Test
  void anotherExpectedVersionIsAConflict() {
    assertThat(UpdateDecision.decide(CURRENT, update(null, 2.0, null, 3L)))
        .isEqualTo(new UpdateDecision.VersionConflict(3, 4));
  }

  @Test
  void theCurrentExpectedVersionOrNoneApplies() {
    assertThat(UpdateDecision.decide(CURRENT, update(null, 2.0, null, 4L))).isInstanceOf(UpdateDecision.Apply.class);
    assertThat(UpdateDecision.decide(CURRENT, update(null, 2.0, null, null))).isInstanceOf(UpdateDecision.Apply.class);
  }

  @Test
  void presentFieldsReplaceAndAbsentFieldsStay() {
    TokenValues merged = UpdateDecision.merge(CURRENT, update("new", null, object("{\"b\":2}"), null));

    assertThat(merged).isEqualTo(new TokenValues("new", CURRENT.coordX(), Vector8.ZERO, Vector8.ZERO, 3, 1.5,
        object("{\"b\":2}")));
  }

  @Test
  void everyFieldCanBeReplaced() {
    Vector8 ones = Vector8.of(1, 1, 1, 1, 1, 1, 1, 1);
    TokenUpdate all = new TokenUpdate(ID, "t", 0.0, 0L, object("{}"), ones, ones, ones, null);

    assertThat(UpdateDecision.merge(CURRENT, all)).isEqualTo(new TokenValues("t", ones, ones, ones, 0, 0.0,
        object("{}")));
  }

  private static TokenUpdate update(String type, Double weight, ObjectNode metadata, Long expectedVersion) {
    return new TokenUpdate(ID, type, weight, null, metadata, null, null, null, expectedVersion);
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json);
  }
}
