package io.neurograph.contracts.system;

/** {@code auth}: presents (or refreshes) credentials in-band. */
public record Auth(String token) {}
