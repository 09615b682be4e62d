package io.neurograph.contracts.messages;

import java.util.Set;

/**
 * A message type the server sends.
 *
 * @param name logical type name on the wire
 * @param payloadType record (or JSON node type) of the payload
 * @param kinds how it reaches a client: as a reply, as a topic delivery, or unprompted
 * @param description one line for documentation
 */
public record ServerMessageType<P>(String name, Class<P> payloadType, Set<Kind> kinds, String description) {

  /** How a server message reaches a client. */
  public enum Kind {
    /** A direct reply to one request; carries {@code correlation_id}. */
    REPLY,
    /** Delivered to subscribers of a topic; carries {@code topic} and {@code cursor}. */
    EVENT,
    /** Sent without a request (connection.established, broadcasts). */
    NOTICE
  }
}
