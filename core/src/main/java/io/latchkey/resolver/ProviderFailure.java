package io.latchkey.resolver;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;

/**
 * Stands in for a throwable a provider threw, as the cause of the {@link ProviderException} that
 * reports it: the original's class name and stack trace, for finding the fault, without its
 * message, causes or suppressed throwables, any of which may quote a value (an {@code
 * AssertionError} built from a response body, an SDK exception that echoes a request).
 */
final class ProviderFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;

  private ProviderFailure(Throwable original) {
    super(original.getClass().getName(), null, false, true);
    this.type = original.getClass().getName();
    setStackTrace(original.getStackTrace());
  }

  /**
   * Wraps what a provider threw into a {@link ProviderException} of kind {@link
   * ProviderException.Kind#OTHER}: the throwable is not one a retry cures, and its message is not
   * safe to show.
   */
  static ProviderException of(SecretRef ref, Throwable thrown) {
    return new ProviderException(
        ref,
        ProviderException.Kind.OTHER,
        "the provider failed with " + thrown.getClass().getName(),
        standIn(thrown));
  }

  /**
   * Returns a stand-in for what a provider threw, to be the cause of an exception built later, when
   * the reference it is reported under is known.
   */
  static ProviderFailure standIn(Throwable thrown) {
    if (thrown instanceof InterruptedException) {
      // Thrown around the compiler's checks; the flag is what the caller's code looks at.
      Thread.currentThread().interrupt();
    }
    return new ProviderFailure(thrown);
  }

  /** Returns the class name of the throwable this one stands in for. */
  String type() {
    return type;
  }

  /**
   * Returns what the caller hears for a throwable a provider threw: a {@link LatchkeyException} as
   * it is (its message is free of values), anything else {@linkplain #of wrapped}. A throwable that
   * must go on untouched ({@link #isFatal}) is thrown from here.
   */
  static RuntimeException reduce(SecretRef ref, Throwable thrown) {
    if (thrown instanceof LatchkeyException e) {
      return e;
    }
    if (isFatal(thrown)) {
      throw (Error) thrown;
    }
    return of(ref, thrown);
  }

  /** Tells whether a throwable must go on untouched: the JVM is failing, or the thread stopping. */
  static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError || t instanceof ThreadDeath;
  }

  /** Returns {@code java.lang.AssertionError (message removed)}. */
  // Stands in for the original, so stack traces print the original's type, not this class's.
  @SuppressWarnings("OverrideThrowableToString")
  @Override
  public String toString() {
    return type + " (message removed)";
  }
}
