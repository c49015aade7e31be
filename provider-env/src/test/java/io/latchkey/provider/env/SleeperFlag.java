package io.latchkey.provider.env;

/**
 * Records whether {@link SleeperProviderFactory} was initialised. It lives in its own class so that
 * reading it does not initialise the factory it watches.
 */
final class SleeperFlag {
  static volatile boolean initialised;

  private SleeperFlag() {}

  /** Read reflectively from an isolated class loader. */
  static boolean initialised() {
    return initialised;
  }
}
