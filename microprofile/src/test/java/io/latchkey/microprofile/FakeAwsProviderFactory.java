package io.latchkey.microprofile;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for {@code latchkey-provider-aws} under the scheme {@code aws}, serving {@link
 * FakeSecrets}; registered in the tests' {@code META-INF/services}. Public, as {@link
 * java.util.ServiceLoader} requires.
 */
@ProviderName("aws")
public final class FakeAwsProviderFactory implements SecretProviderFactory {

  /** Creates the factory, as the service loader does. */
  public FakeAwsProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    FakeSecrets.CREATED.incrementAndGet();
    return new Provider();
  }

  static final class Provider implements SecretProvider {
    @Override
    public String name() {
      return "aws";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      FakeSecrets.FETCHES.incrementAndGet();
      if (FakeSecrets.down) {
        throw new ProviderException(
            ref, ProviderException.Kind.UNAVAILABLE, "connection refused (loopback)");
      }
      String value = FakeSecrets.VALUES.get(ref.path());
      if (value == null) {
        throw new SecretNotFoundException(ref, "no such secret");
      }
      if (ref.field().isPresent()) {
        String field = ref.field().get();
        value =
            JsonValue.field(value, field)
                .orElseThrow(() -> new SecretNotFoundException(ref, "no field '" + field + "'"));
      }
      return SecretVersion.of(
          Secret.of(value), "v" + FakeSecrets.VERSIONS.get(ref.path()), Instant.now());
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "fake aws";
    }

    @Override
    public void close() {
      FakeSecrets.CLOSED.incrementAndGet();
    }
  }
}
