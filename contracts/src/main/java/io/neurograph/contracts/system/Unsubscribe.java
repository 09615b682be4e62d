package io.neurograph.contracts.system;

/** {@code unsubscribe}: stop receiving a client topic. */
public record Unsubscribe(String topic) {}
