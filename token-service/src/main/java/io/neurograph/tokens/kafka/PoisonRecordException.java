package io.neurograph.tokens.kafka;

/** A command record that is not a command message at all: it goes to the dead-letter topic unretried. */
final class PoisonRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  PoisonRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
