package io.neurograph.contracts.tokens;

/**
 * {@code token.search} (ext): tokens whose coordinates in space L(level+1) lie inside the box [min, max]
 * on every axis, in (created_at, token_id) order.
 */
public record TokenSearch(int level, Point3 min, Point3 max, int limit) {}
