package io.neurograph.contracts.system;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code authenticated}: the credentials were accepted.
 *
 * @param expiresAt epoch milliseconds when they stop being valid, {@code null} when they do not expire
 */
public record Authenticated(String subject, @JsonInclude(JsonInclude.Include.ALWAYS) Long expiresAt) {}
