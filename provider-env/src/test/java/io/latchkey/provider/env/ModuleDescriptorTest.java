package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor and {@code META-INF/services} register the same factory, so the provider is
 * found on the module path and on the class path alike.
 */
final class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() {
    return ModuleFiles.descriptor(EnvSecretProvider.class);
  }

  @Test
  void descriptor_exportsTheApi_andProvidesTheFactory() {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("io.latchkey.provider.env");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.latchkey.provider.env");
    assertThat(module.provides())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.service()).isEqualTo(SecretProviderFactory.class.getName());
              assertThat(p.providers()).containsExactly(EnvSecretProviderFactory.class.getName());
            });
  }

  @Test
  void descriptor_requiresCoreAlone() {
    assertThat(
            descriptor().requires().stream()
                .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
                .map(Requires::name)
                .collect(Collectors.toList()))
        .containsExactly("io.latchkey");
  }

  @Test
  void serviceFile_agreesWithTheDescriptor() {
    List<String> registered =
        ModuleFiles.serviceProviders(EnvSecretProvider.class, SecretProviderFactory.class);
    assertThat(registered)
        .containsExactlyElementsOf(descriptor().provides().iterator().next().providers());
  }
}
