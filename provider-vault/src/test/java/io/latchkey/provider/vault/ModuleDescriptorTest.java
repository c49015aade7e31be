package io.latchkey.provider.vault;

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
    return ModuleFiles.descriptor(VaultSecretProvider.class);
  }

  @Test
  void descriptor_exportsTheApi_andProvidesTheFactory() {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("io.latchkey.provider.vault");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.latchkey.provider.vault");
    assertThat(module.provides())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.service()).isEqualTo(SecretProviderFactory.class.getName());
              assertThat(p.providers()).containsExactly(VaultSecretProviderFactory.class.getName());
            });
  }

  @Test
  void descriptor_requiresCoreOnly() {
    ModuleDescriptor module = descriptor();
    assertThat(
            module.requires().stream()
                .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
                .map(Requires::name)
                .collect(Collectors.toList()))
        .containsExactly("io.latchkey");
    assertThat(
            module.requires().stream()
                .filter(r -> r.name().equals("io.latchkey"))
                .findFirst()
                .orElseThrow()
                .modifiers())
        .contains(Requires.Modifier.TRANSITIVE);
  }

  @Test
  void serviceFile_agreesWithTheDescriptor() {
    List<String> registered =
        ModuleFiles.serviceProviders(VaultSecretProvider.class, SecretProviderFactory.class);
    assertThat(registered)
        .containsExactlyElementsOf(descriptor().provides().iterator().next().providers());
  }
}
