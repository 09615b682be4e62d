package io.neurograph.graph.requests;

import io.neurograph.contracts.kafka.CommandMessage;

/**
 * One request as it arrived on the command topic.
 *
 * @param command the parsed command record value
 * @param traceparent W3C trace context of the record, or {@code null}; copied onto the reply and events
 */
public record Request(CommandMessage command, String traceparent) {}
