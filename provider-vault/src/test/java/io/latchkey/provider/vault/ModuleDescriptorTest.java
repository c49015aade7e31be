package io.latchkey.provider.vault;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.SecretProviderFactory;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor and {@code META-INF/services} register the same factory, so the provider is
 * found on the module path and on the class path alike.
 */
final class ModuleDescriptorTest {

  private static Path classes() throws Exception {
    return Path.of(
        VaultSecretProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor() throws Exception {
    try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void descriptor_exportsTheApi_andProvidesTheFactory() throws Exception {
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
  void descriptor_requiresCore_theJdkHttpClient_andJacksonOnly() throws Exception {
    ModuleDescriptor module = descriptor();
    assertThat(
            module.requires().stream()
                .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
                .map(Requires::name)
                .collect(Collectors.toList()))
        .containsExactlyInAnyOrder(
            "io.latchkey", "java.net.http", "com.fasterxml.jackson.databind");
    assertThat(
            module.requires().stream()
                .filter(r -> r.name().equals("io.latchkey"))
                .findFirst()
                .orElseThrow()
                .modifiers())
        .contains(Requires.Modifier.TRANSITIVE);
  }

  @Test
  void serviceFile_agreesWithTheDescriptor() throws Exception {
    Path services = classes().resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    List<String> registered =
        Files.readAllLines(services, UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toList());
    assertThat(registered)
        .containsExactlyElementsOf(descriptor().provides().iterator().next().providers());
  }
}
