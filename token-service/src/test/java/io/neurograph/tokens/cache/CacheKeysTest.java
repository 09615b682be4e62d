package io.neurograph.tokens.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.tokens.TokenId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private final CacheKeys keys = new CacheKeys("ng:tokens:");
  private final TokenId id = TokenId.of("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");

  @Test
  void entriesAreFiledUnderTheirGeneration() {
    assertThat(keys.tokenGeneration(id)).isEqualTo("ng:tokens:gen:token:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
    assertThat(keys.token(id, 7)).isEqualTo("ng:tokens:token:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17:7");
    assertThat(keys.token(id, 7)).isNotEqualTo(keys.token(id, 8));
    assertThat(keys.listGeneration()).isEqualTo("ng:tokens:gen:list");
    assertThat(keys.listPage(3, null, 10, 20)).isEqualTo("ng:tokens:list:3:*:10:20");
    assertThat(keys.count(3, null)).isEqualTo("ng:tokens:count:3:*");
  }

  @Test
  void anyTypeTextIsASafeKeyFragment() {
    String colons = keys.listPage(1, "a:b:*", 10, 0);
    assertThat(colons).startsWith("ng:tokens:list:1:=").endsWith(":10:0");
    assertThat(colons.split(":")).hasSize(7);
    assertThat(keys.listPage(1, "a", 10, 0)).isNotEqualTo(keys.listPage(1, "b", 10, 0));
    assertThat(keys.listPage(1, "*", 10, 0)).isNotEqualTo(keys.listPage(1, null, 10, 0));
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
