package io.latchkey.resolver;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Serialisers;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolver's types that hold values are written by no serialiser with the value in them. */
final class ResolverSerializationTest {
  private static final String CANARY = "CANARY-5b9e2f-s3cr3t-value";

  private static void assertNotSerialisable(String what, Object o, String secret) {
    Serialisers.assertWritesNoValue(what, o, secret);
  }

  @Test
  void serialise_cacheEntry_writesNoValue() {
    SecretVersion version =
        SecretVersion.of(Secret.of(CANARY), "v1", Instant.parse("2026-01-01T00:00:00Z"));
    assertNotSerialisable("Entry", new Entry(version, 1, 2, 3, null), CANARY);
  }

  @Test
  void serialise_resolverAndSourceAfterResolving_writeNoValue() {
    FakeProvider fake = new FakeProvider("fake").put("db", CANARY);
    try (SecretResolver resolver =
        SecretResolver.builder().provider(fake).executor(Runnable::run).build()) {
      resolver.resolve("fake:db");
      assertNotSerialisable("SecretResolver", resolver, CANARY);
      ResolvingConfigSource source =
          new ResolvingConfigSource(
              ConfigSource.of(Map.of("DB", "${ref:fake:db}"), Origin.Kind.ENV), resolver);
      assertNotSerialisable("ResolvingConfigSource", source, CANARY);
      assertNotSerialisable("resolved ConfigValue", source.get("DB").orElseThrow(), CANARY);
      SecretHandle handle = resolver.handle(SecretRef.parse("fake:db"));
      handle.get();
      handle.onChange(() -> {});
      assertNotSerialisable("SecretHandle", handle, CANARY);
    }
  }
}
