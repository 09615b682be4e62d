package io.neurograph.graph.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.contracts.tokens.TokenId;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TokenPartitionsTest {

  @Test
  void theProducersDefaultPartitionerPlacesTheTokensEventsThere() {
    try (StringSerializer keys = new StringSerializer()) {
      for (int i = 0; i < 1000; i++) {
        TokenId token = TokenId.random();
        for (int partitions : new int[] {1, 3, 6, 7, 64}) {
          byte[] key = keys.serialize("tokens.events", token.toString());
          assertThat(TokenPartitions.partitionOf(token, partitions))
              .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
        }
      }
    }
  }

  @Test
  void aKnownKeyHasAKnownPartition() {
    // murmur2 of the canonical id string; pinned so a change of the key form is noticed.
    TokenId token = TokenId.of("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
    int expected = BuiltInPartitioner.partitionForKey(
        "3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17".getBytes(StandardCharsets.UTF_8), 6);

    assertThat(TokenPartitions.partitionOf(token, 6)).isEqualTo(expected);
    assertThat(TokenPartitions.partitionOf(TokenId.of("3F1C2A9E-8B7D-4C6E-9A51-2D4B6F8E0C17"), 6))
        .as("the key is the canonical lower-case form whatever the client wrote").isEqualTo(expected);
  }

  @Test
  void everyPartitionIsReachedAndNoneOutside() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      int partition = TokenPartitions.partitionOf(TokenId.random(), 3);
      assertThat(partition).isBetween(0, 2);
      seen.add(partition);
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1, 2);
    assertThatThrownBy(() -> TokenPartitions.partitionOf(TokenId.random(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
