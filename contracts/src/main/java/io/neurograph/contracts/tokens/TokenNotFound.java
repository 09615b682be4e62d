package io.neurograph.contracts.tokens;

/** {@code token.not_found}: the seed's reply to {@code token.get} for an unknown id. */
public record TokenNotFound(TokenId tokenId) {}
