package io.neurograph.graph.projection;

import io.neurograph.contracts.tokens.TokenId;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Where token-service's producer puts the events of a token: Kafka's default partitioner over the key. */
final class TokenPartitions {

  private TokenPartitions() {}

  /**
   * The partition of the token event topic holding a token's events: the record key is the token id's
   * canonical string, and the default partitioner maps a key to
   * {@code toPositive(murmur2(keyBytes)) % partitionCount}.
   */
  static int partitionOf(TokenId token, int partitionCount) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partition count must be positive: " + partitionCount);
    }
    byte[] key = token.toString().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
  }
}
