package io.neurograph.graph.store;

/**
 * What a processed command id recorded.
 *
 * @param commandType the type of the command that used the id first
 * @param replyType server message type of its reply
 * @param reply the reply payload as JSON text
 */
public record StoredOutcome(String commandType, String replyType, String reply) {}
