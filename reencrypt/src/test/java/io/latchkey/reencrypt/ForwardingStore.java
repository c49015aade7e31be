package io.latchkey.reencrypt;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A store that forwards every call, for tests that interfere with one of them. */
class ForwardingStore<K> implements CiphertextStore<K> {
  private final CiphertextStore<K> delegate;

  ForwardingStore(CiphertextStore<K> delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<StoredCiphertext<K>> page(Optional<K> after, int limit) {
    return delegate.page(after, limit);
  }

  @Override
  public List<Boolean> compareAndSet(List<CiphertextUpdate<K>> updates) {
    return delegate.compareAndSet(updates);
  }

  @Override
  public OptionalLong count() {
    return delegate.count();
  }

  @Override
  public Lock lock() {
    return delegate.lock();
  }
}
