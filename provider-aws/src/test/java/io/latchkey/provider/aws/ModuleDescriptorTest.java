package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor and {@code META-INF/services} register the same factory, so the provider is
 * found on the module path and on the class path alike; every module it requires is a stable name
 * that a jar on its class path declares.
 */
final class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() {
    return ModuleFiles.descriptor(AwsSecretProvider.class);
  }

  @Test
  void descriptor_exportsTheApi_andProvidesTheFactory() {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("io.latchkey.provider.aws");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.latchkey.provider.aws");
    assertThat(module.provides())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.service()).isEqualTo(SecretProviderFactory.class.getName());
              assertThat(p.providers()).containsExactly(AwsSecretProviderFactory.class.getName());
            });
  }

  @Test
  void descriptor_requiresCoreAndTheSdkTransitively_whereTheApiShowsThem() {
    Map<String, Set<Requires.Modifier>> requires =
        descriptor().requires().stream()
            .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
            .collect(Collectors.toMap(Requires::name, Requires::modifiers));
    assertThat(requires.get("io.latchkey")).contains(Requires.Modifier.TRANSITIVE);
    assertThat(requires.get("software.amazon.awssdk.services.secretsmanager"))
        .contains(Requires.Modifier.TRANSITIVE);
    assertThat(requires.get("software.amazon.awssdk.auth")).contains(Requires.Modifier.TRANSITIVE);
    // JSON is read with core's JsonValue: the provider needs no JSON library of its own.
    assertThat(requires).doesNotContainKey("com.fasterxml.jackson.databind");
  }

  @Test
  void everyRequiredSdkModule_isTheAutomaticModuleNameOfAJarOnTheClassPath() {
    Set<String> sdkModules =
        descriptor().requires().stream()
            .map(Requires::name)
            .filter(n -> n.startsWith("software.amazon."))
            .collect(Collectors.toSet());
    Set<String> declared =
        List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).stream()
            .filter(e -> e.endsWith(".jar"))
            .map(ModuleDescriptorTest::automaticModuleName)
            .filter(n -> n != null)
            .collect(Collectors.toSet());
    assertThat(declared).containsAll(sdkModules);
  }

  private static String automaticModuleName(String jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
      java.util.jar.Manifest manifest = file.getManifest();
      return manifest == null
          ? null
          : manifest.getMainAttributes().getValue("Automatic-Module-Name");
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Test
  void serviceFile_agreesWithTheDescriptor() {
    List<String> registered =
        ModuleFiles.serviceProviders(AwsSecretProvider.class, SecretProviderFactory.class);
    assertThat(registered)
        .containsExactlyElementsOf(descriptor().provides().iterator().next().providers());
  }
}
