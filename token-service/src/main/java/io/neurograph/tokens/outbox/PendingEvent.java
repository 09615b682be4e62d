package io.neurograph.tokens.outbox;

import io.neurograph.contracts.tokens.TokenId;
import java.time.Instant;

/**
 * An event a command caused, to be written to the outbox in the command's transaction.
 *
 * @param type client-facing event type, e.g. {@code token.created}
 * @param subject the token the event is about (the record key)
 * @param data the event payload record (full token, or {@code {token_id}} for a deletion)
 * @param occurredAt when the change was committed (the row's timestamp)
 */
public record PendingEvent(String type, TokenId subject, Object data, Instant occurredAt) {}
