package io.neurograph.contracts.tokens;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code token.update} (ext): change the given fields; absent fields stay. With {@code expected_version}
 * the update applies only to that version, else {@code CONFLICT}.
 */
public record TokenUpdate(
    TokenId tokenId,
    String type,
    Double weight,
    Long flags,
    ObjectNode metadata,
    Vector8 coordX,
    Vector8 coordY,
    Vector8 coordZ,
    Long expectedVersion) {}
