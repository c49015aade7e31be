package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import java.util.function.Supplier;

/**
 * One secret as a bean holds it across rotations: {@link #get()} returns the current version every
 * time, at the cost of a cache look-up, so a client that reads it per request or per connection
 * never holds a rotated-out value for long.
 *
 * <pre>{@code
 * @Bean
 * SecretHolder partnerToken(LatchkeySecrets secrets) {
 *   return secrets.holder("partner.api-token");   // a property written as ref+aws:partner#token
 * }
 *
 * // per request:
 * request.header("Authorization", "Bearer " + partnerToken.get().reveal());
 * }</pre>
 *
 * @since 0.1
 */
public final class SecretHolder implements Supplier<Secret> {
  private final SecretRef ref;
  private final LatchkeyRuntime runtime;

  SecretHolder(SecretRef ref, LatchkeyRuntime runtime) {
    this.ref = requireNonNull(ref, "ref");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /**
   * Returns the current value.
   *
   * @return a copy of the value, which the caller may wipe
   * @throws io.latchkey.SecretNotFoundException if the secret no longer exists
   * @throws io.latchkey.ProviderException if the provider fails and no value may be served stale
   */
  @Override
  public Secret get() {
    return runtime.resolve(ref);
  }

  /**
   * Returns the reference this holder reads.
   *
   * @return the reference
   */
  public SecretRef ref() {
    return ref;
  }

  /**
   * Asks the provider for the reference again now (at most once per failure re-check interval); see
   * {@link io.latchkey.resolver.SecretResolver#refresh(SecretRef)}.
   */
  boolean recheck() {
    return runtime.refresh(ref);
  }

  /** Names the reference and the properties written as it, as a masked failure does. */
  String described() {
    return runtime.described(ref);
  }

  /** Returns {@code SecretHolder[REFERENCE]}; never a value. */
  @Override
  public String toString() {
    return "SecretHolder[" + ref + "]";
  }
}
