package io.neurograph.contracts.tokens;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full token: payload of {@code token.created} and {@code token.updated} (replies and events) and
 * element of {@code token.search}.
 *
 * @param version starts at 1 and grows by one with every change
 */
public record Token(
    TokenId tokenId,
    String type,
    Vector8 coordX,
    Vector8 coordY,
    Vector8 coordZ,
    long flags,
    double weight,
    ObjectNode metadata,
    Instant createdAt,
    Instant updatedAt,
    long version) {}
