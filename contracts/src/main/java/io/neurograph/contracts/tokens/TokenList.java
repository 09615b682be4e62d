package io.neurograph.contracts.tokens;

/** {@code token.list} request: a page in (created_at, token_id) order, optionally of one type. */
public record TokenList(int limit, int offset, String type) {}
