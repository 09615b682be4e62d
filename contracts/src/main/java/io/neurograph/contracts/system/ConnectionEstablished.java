package io.neurograph.contracts.system;

/** {@code connection.established}: always the first server message of a connection. */
public record ConnectionEstablished(
    String connectionId,
    String clientId,
    long timestamp,
    long heartbeatIntervalMs,
    long idleTimeoutMs,
    String protocol) {

  /** The protocol name announced to clients. */
  public static final String PROTOCOL = "neurograph.v1";
}
