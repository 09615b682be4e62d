package io.neurograph.contracts.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code token.count} reply; {@code type} is {@code null} when every type was counted. */
public record TokenCountResult(long count, @JsonInclude(JsonInclude.Include.ALWAYS) String type) {}
