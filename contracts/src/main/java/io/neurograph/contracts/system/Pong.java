package io.neurograph.contracts.system;

/** {@code pong}: answer to a ping; {@code message_id} is the ping's id. */
public record Pong(String messageId) {}
