package io.latchkey.microprofile;

import io.latchkey.resolver.SecretResolver;
import java.util.function.Supplier;

/**
 * The resolver one config's interceptor uses: either one the application built and closes itself
 * (borrowed), or one created on the first reference the config reads and closed with {@link
 * #close()} (owned), so that a config without references starts no provider and no thread.
 */
final class ResolverHandle implements AutoCloseable {
  private final Supplier<SecretResolver> factory;
  private SecretResolver resolver;
  private boolean closed;

  private ResolverHandle(SecretResolver resolver, Supplier<SecretResolver> factory) {
    this.resolver = resolver;
    this.factory = factory;
  }

  static ResolverHandle borrowed(SecretResolver resolver) {
    return new ResolverHandle(resolver, null);
  }

  static ResolverHandle owned(Supplier<SecretResolver> factory) {
    return new ResolverHandle(null, factory);
  }

  /**
   * Returns the resolver, creating an owned one on first use.
   *
   * @throws IllegalStateException if the handle is closed
   */
  synchronized SecretResolver get() {
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
    if (resolver == null) {
      resolver = factory.get();
    }
    return resolver;
  }

  /** Tells whether an owned resolver has been created. */
  synchronized boolean isCreated() {
    return resolver != null;
  }

  /** Closes an owned resolver, if one was created; a borrowed one is its owner's to close. */
  @Override
  public void close() {
    SecretResolver toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = factory == null ? null : resolver;
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  @Override
  public synchronized String toString() {
    String state = closed ? "closed" : resolver == null ? "not created yet" : resolver.toString();
    return "ResolverHandle[" + (factory == null ? "borrowed" : "owned") + ", " + state + "]";
  }
}
