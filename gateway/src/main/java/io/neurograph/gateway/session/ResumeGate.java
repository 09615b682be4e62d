package io.neurograph.gateway.session;

import java.util.ArrayDeque;

/**
 * A subscription that resumes from a cursor: from the moment it joins the live stream until its replay of
 * older events is done, live events for it wait here, so the client gets them after the replay, in order,
 * with nothing missing or doubled at the seam. Bounded like the outbound queue: overflowing it closes the
 * connection with 4008, and the client can resume again from its last cursor.
 */
public final class ResumeGate {

  private final Session session;
  private final String topic;
  private final int maxMessages;
  private final long maxBytes;
  private final ArrayDeque<Outgoing> held = new ArrayDeque<>();
  private long heldBytes;
  private boolean holding = true;
  private volatile boolean cancelled;

  ResumeGate(Session session, String topic, int maxMessages, long maxBytes) {
    this.session = session;
    this.topic = topic;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /**
   * Live path: keeps the frame while the replay runs.
   *
   * @return false once the replay is over (the caller then sends the frame itself)
   */
  boolean hold(Outgoing frame) {
    boolean overflow;
    synchronized (this) {
      if (!holding) {
        return false;
      }
      if (cancelled) {
        return true;
      }
      overflow = held.size() >= maxMessages || heldBytes + frame.bytes() > maxBytes;
      if (!overflow) {
        held.add(frame);
        heldBytes += frame.bytes();
      }
    }
    if (overflow) {
      cancel();
      session.closeSlow("live events arriving during a replay");
    }
    return true;
  }

  /**
   * After the replay: hands the held frames to the session in order (waiting for room like the replay
   * did), then lets live frames through. Blocks; call it only from a replay thread.
   *
   * @return false when the subscription or the connection went away first
   */
  public boolean release() {
    while (true) {
      Outgoing next;
      synchronized (this) {
        if (cancelled) {
          return false;
        }
        next = held.poll();
        if (next == null) {
          holding = false;
          session.dropGate(topic, this);
          return true;
        }
        heldBytes -= next.bytes();
      }
      if (!session.awaitRoom() || !session.offer(next)) {
        return false;
      }
    }
  }

  /** Stops the replay: the topic was unsubscribed or the connection closed. */
  public void cancel() {
    synchronized (this) {
      cancelled = true;
      held.clear();
      heldBytes = 0;
    }
  }

  /** Whether the replay should stop. */
  public boolean isCancelled() {
    return cancelled || session.isClosing();
  }
}
