package io.neurograph.contracts.tokens;

/** {@code token.deleted}: reply and event after a delete. */
public record TokenDeleted(TokenId tokenId) {}
