package io.neurograph.contracts.tokens;

import java.util.List;

/** {@code token.search} reply: full tokens. */
public record TokenSearchResult(List<Token> tokens, int count) {}
