package io.neurograph.gateway.session;

/**
 * What happens to connections and their outbound frames, for metrics. Called on hot paths (every frame
 * written): implementations must be cheap and never block.
 */
public interface SessionObserver {

  /** Observes nothing. */
  SessionObserver NONE = new SessionObserver() {};

  /** A connection opened. */
  default void opened() {}

  /**
   * A connection ended.
   *
   * @param closeCode the close code the gateway asked for, or {@link Session#PEER_CLOSED} when the client
   *     closed (or the channel died) first
   */
  default void closed(int closeCode) {}

  /** A frame was taken by a connection's writer. */
  default void written(Outgoing frame) {}

  /** A connection is being closed with 4008 because it could not keep up. */
  default void slowConsumer() {}
}
