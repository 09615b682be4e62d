package io.neurograph.devstack;

/** The command line is not understood; the message says why. */
public final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  /** With the reason. */
  public UsageException(String message) {
    super(message);
  }
}
