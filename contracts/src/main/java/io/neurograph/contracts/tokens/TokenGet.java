package io.neurograph.contracts.tokens;

/** {@code token.get}: read one token. */
public record TokenGet(TokenId tokenId) {}
