package io.latchkey.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what another thread does, without sleeping and without timing it. */
public final class Waiting {
  private Waiting() {}

  /**
   * Waits for a condition by yielding, without sleeping: for a state another thread reaches for
   * sure (a background refresh run, a request held by a fake, a thread parked), so the generous
   * limit is never what ends a passing run, however busy the machine.
   *
   * @param what what is awaited, for the failure's message
   * @param condition true once it has happened
   * @throws AssertionError if it has not happened within a minute
   */
  public static void until(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("never saw " + what);
      }
      Thread.onSpinWait();
    }
  }
}
