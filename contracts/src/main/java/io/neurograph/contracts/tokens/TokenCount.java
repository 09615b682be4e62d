package io.neurograph.contracts.tokens;

/** {@code token.count} (ext): number of tokens, optionally of one type. */
public record TokenCount(String type) {}
