package io.neurograph.contracts.tokens;

/** {@code token.delete} (ext): remove a token. */
public record TokenDelete(TokenId tokenId) {}
