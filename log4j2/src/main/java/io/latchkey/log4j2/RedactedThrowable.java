package io.latchkey.log4j2;

/**
 * Stands in, in a redacted copy of an exception chain, for an exception whose class cannot be
 * rebuilt with a redacted message. It prints as the original did, redacted: {@link #toString()} is
 * the original's, so a stack trace names the original class; only code that asks for its class
 * (such as a JSON layout's class-name field) sees this one.
 */
final class RedactedThrowable extends Throwable {
  private static final long serialVersionUID = 1L;

  private final String description;

  RedactedThrowable(String description, String message, Throwable cause) {
    super(message, cause, true, true);
    this.description = description;
  }

  /** The stack trace is the original's, set after construction; filling one in would be waste. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  // It prints as the original did, the original's class name included; its message is already the
  // redacted message, which a JSON layout reads on its own.
  @SuppressWarnings("OverrideThrowableToString")
  @Override
  public String toString() {
    return description;
  }
}
