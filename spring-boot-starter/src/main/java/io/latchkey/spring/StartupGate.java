package io.latchkey.spring;

import org.springframework.context.SmartLifecycle;

/**
 * Holds start-up until the secrets are loaded: the first lifecycle bean to start, so a web server
 * never starts serving (and a start-up never reports success) before every reference has loaded, or
 * start-up has failed with the list of those that did not. In most applications a bean has read a
 * reference, and so waited, long before.
 */
final class StartupGate implements SmartLifecycle {
  private final LatchkeyRuntime runtime;
  private volatile boolean running;

  StartupGate(LatchkeyRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void start() {
    runtime.awaitLoaded();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MIN_VALUE;
  }
}
