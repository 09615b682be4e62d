package io.neurograph.contracts.tokens;

/** A point {@code {x, y, z}} in one semantic space; used as a search box corner. */
public record Point3(double x, double y, double z) {}
