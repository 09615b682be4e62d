package io.neurograph.contracts.system;

/** {@code unsubscribed}: answer to unsubscribe, also sent when the connection was not subscribed. */
public record Unsubscribed(String topic, boolean success) {}
