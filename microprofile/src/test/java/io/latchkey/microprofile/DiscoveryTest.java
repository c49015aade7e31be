package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.testsupport.ModuleFiles;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigProviderResolver;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an application gets by adding the jar and nothing else: the config the MicroProfile runtime
 * builds finds the source, the interceptor and the converter through {@link
 * java.util.ServiceLoader}, and each config gets its own resolver, created on its first reference.
 */
final class DiscoveryTest {
  private static final String PASSWORD = "pw-8d2b6e0f4a1c9357";

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    FakeSecrets.put("prod/discovered", "{\"password\":\"" + PASSWORD + "\"}");
  }

  @Test
  void serviceFiles_registerTheSourceTheInterceptorAndTheConverter() {
    assertThat(ModuleFiles.serviceProviders(SecretReferences.class, ConfigSourceProvider.class))
        .containsExactly(LatchkeyConfigSourceProvider.class.getName());
    assertThat(
            ModuleFiles.serviceProviders(
                SecretReferences.class, ConfigSourceInterceptorFactory.class))
        .containsExactly(SecretReferences.class.getName());
    assertThat(ModuleFiles.serviceProviders(SecretReferences.class, Converter.class))
        .containsExactly(SecretConverter.class.getName());
  }

  @Test
  void runtimeConfig_resolvesAReferenceAndServesItAsASecret() {
    Config config = ConfigProvider.getConfig();
    try {
      assertThat(config.getValue("discovered.password", String.class)).isEqualTo(PASSWORD);
      Secret secret = config.getValue("discovered.password", Secret.class);
      assertThat(secret.reveal()).isEqualTo(PASSWORD);
      assertThat(secret.toString()).doesNotContain(PASSWORD);

      List<ConfigSource> latchkey = new ArrayList<>();
      config
          .getConfigSources()
          .forEach(
              s -> {
                if (s instanceof LatchkeyConfigSource) {
                  latchkey.add(s);
                }
              });
      assertThat(latchkey)
          .singleElement()
          .satisfies(
              s -> assertThat(s.getOrdinal()).isEqualTo(LatchkeyConfigSource.DEFAULT_ORDINAL));
    } finally {
      ConfigProviderResolver.instance().releaseConfig(config);
    }
  }

  @Test
  void eachConfig_getsOneResolver_createdOnItsFirstReference() {
    SmallRyeConfigProviderResolver runtime =
        (SmallRyeConfigProviderResolver) ConfigProviderResolver.instance();
    SmallRyeConfig first = discovered(runtime);
    SmallRyeConfig second = discovered(runtime);
    assertThat(FakeSecrets.CREATED).as("no reference read yet").hasValue(0);

    first.getValue("discovered.password", String.class);
    first.getValue("discovered.password", String.class);
    assertThat(FakeSecrets.CREATED).hasValue(1);
    assertThat(FakeSecrets.FETCHES).as("the second read is served from the cache").hasValue(1);

    second.getValue("discovered.password", String.class);
    assertThat(FakeSecrets.CREATED).as("the second config has its own resolver").hasValue(2);
  }

  /** A config built the way SmallRye's default factory builds the runtime's. */
  private static SmallRyeConfig discovered(SmallRyeConfigProviderResolver runtime) {
    return runtime
        .getBuilder()
        .forClassLoader(DiscoveryTest.class.getClassLoader())
        .addDiscoveredCustomizers()
        .addDiscoveredInterceptors()
        .addDiscoveredConverters()
        .addDiscoveredSecretKeysHandlers()
        .addDefaultInterceptors()
        .addDefaultSources()
        .addDiscoveredSources()
        .addDiscoveredValidator()
        .build();
  }
}
