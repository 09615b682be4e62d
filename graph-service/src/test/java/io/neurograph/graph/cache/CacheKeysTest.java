package io.neurograph.graph.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private final CacheKeys keys = new CacheKeys("ng:graph:");
  private final TokenId id = TokenId.of("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");

  @Test
  void entriesAreFiledUnderTheirGeneration() {
    assertThat(keys.tokenGeneration(id)).isEqualTo("ng:graph:gen:token:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
    assertThat(keys.graphGeneration()).isEqualTo("ng:graph:gen:graph");
    assertThat(keys.neighbors(id, 7, Direction.OUTGOING, null, 100))
        .isEqualTo("ng:graph:neighbors:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17:7:outgoing:*:100");
    assertThat(keys.degree(id, 7)).isEqualTo("ng:graph:degree:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17:7");
    assertThat(keys.degree(id, 7)).isNotEqualTo(keys.degree(id, 8));
    assertThat(keys.stats(3)).isEqualTo("ng:graph:stats:3");
  }

  @Test
  void everyQueryParameterIsPartOfTheKey() {
    assertThat(keys.neighbors(id, 1, Direction.INCOMING, null, 10))
        .isNotEqualTo(keys.neighbors(id, 1, Direction.OUTGOING, null, 10))
        .isNotEqualTo(keys.neighbors(id, 1, Direction.BOTH, null, 10))
        .isNotEqualTo(keys.neighbors(id, 1, Direction.INCOMING, null, 11))
        .isNotEqualTo(keys.neighbors(id, 1, Direction.INCOMING, "a", 10));
  }

  @Test
  void anyTypeTextIsASafeKeyFragment() {
    String colons = keys.neighbors(id, 1, Direction.BOTH, "a:b:*", 10);
    assertThat(colons.split(":")).hasSize(keys.neighbors(id, 1, Direction.BOTH, null, 10).split(":").length);
    assertThat(keys.neighbors(id, 1, Direction.BOTH, "*", 10)).isNotEqualTo(keys.neighbors(id, 1, Direction.BOTH,
        null, 10));
  }

  @Test
  void aMissingGenerationIsZero() {
    assertThat(CacheKeys.generation(null)).isZero();
    assertThat(CacheKeys.generation("12")).isEqualTo(12);
  }

  @Test
  void generationsOutliveTheEntriesFiledUnderThem() {
    Duration ttl = Duration.ofMinutes(5);
    assertThat(CacheKeys.generationTtl(ttl)).isGreaterThan(ttl.multipliedBy(2));
    assertThat(CacheKeys.generationTtl(Duration.ofSeconds(1))).isGreaterThan(Duration.ofMinutes(1));
  }
}
