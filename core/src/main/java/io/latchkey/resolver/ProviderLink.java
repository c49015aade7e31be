package io.latchkey.resolver;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The end of the chain: asks the provider, reusing the cached version when the provider says it is
 * still the current one, and turns whatever the provider throws into a precise exception: anything
 * but a {@link LatchkeyException}, a {@link VirtualMachineError} or a {@link ThreadDeath} becomes a
 * {@link ProviderException} naming the throwable's class only. Health is recorded by {@link
 * TimeoutLink}, which knows whether an outcome was used or abandoned.
 */
final class ProviderLink implements Link {
  private final Map<String, SecretProvider> providers;
  private final Clock clock;
  private final Timing timing;

  ProviderLink(Map<String, SecretProvider> providers, Clock clock, Timing timing) {
    this.providers = providers;
    this.clock = clock;
    this.timing = timing;
  }

  @Override
  public Entry proceed(SecretRef ref, Entry cached) {
    SecretProvider provider = providers.get(ref.scheme());
    try {
      return fetch(provider, ref, cached);
    } catch (Throwable t) {
      // The message of a foreign throwable may echo a value (some SDKs quote response bodies, an
      // AssertionError is often built from the value it checked), Errors included: only its type
      // and stack trace are kept.
      throw ProviderFailure.reduce(ref, t);
    }
  }

  private Entry fetch(SecretProvider provider, SecretRef ref, Entry cached) {
    if (cached != null) {
      Optional<String> known = cached.version().versionId();
      if (known.isPresent()) {
        Optional<String> current = provider.currentVersionId(ref);
        if (current == null) {
          throw malformed(ref, "the provider returned no answer for the current version");
        }
        if (current.equals(known)) {
          // A version's value never changes: keep it, and only renew its lease.
          return timing.fresh(ref, cached.version(), clock.millis());
        }
      }
    }
    SecretVersion version = provider.fetch(ref);
    if (version == null) {
      throw malformed(ref, "the provider returned no version");
    }
    return timing.fresh(ref, version, clock.millis());
  }

  private static ProviderException malformed(SecretRef ref, String reason) {
    return new ProviderException(ref, ProviderException.Kind.MALFORMED_RESPONSE, reason);
  }
}
