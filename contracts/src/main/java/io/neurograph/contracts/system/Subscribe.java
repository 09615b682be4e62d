package io.neurograph.contracts.system;

/** {@code subscribe}: start receiving events of a client topic, optionally from a cursor. */
public record Subscribe(String topic, String since) {}
