package io.neurograph.contracts.tokens;

import java.util.List;

/**
 * {@code token.list} reply.
 *
 * @param count number of tokens in this page
 * @param total (ext) number of tokens matching the filter
 */
public record TokenListResult(List<TokenSummary> tokens, int count, int offset, long total) {}
