package io.neurograph.graph.kafka;

/** A record that is not a message of its topic at all: it goes to the dead-letter topic unretried. */
public final class PoisonRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A poison record, with what is wrong with it. */
  public PoisonRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
