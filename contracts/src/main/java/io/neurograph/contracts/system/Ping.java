package io.neurograph.contracts.system;

/** {@code ping}: application-level heartbeat (browsers cannot see protocol pings). */
public record Ping() {}
