package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module exports its API packages, not {@code io.latchkey.crypto.internal}, and needs nothing
 * beyond core and {@code java.base}: whoever wants a Fernet ring does not get {@code java.sql},
 * which the re-encryption module brings.
 */
final class ModuleDescriptorTest {

  @Test
  void descriptor_exportsTheApiPackages() {
    ModuleDescriptor module = ModuleFiles.descriptor(FernetKeyRing.class);
    assertThat(module.name()).isEqualTo("io.latchkey.crypto");
    assertThat(module.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).as(e.source()).isFalse())
        .extracting(Exports::source)
        .containsExactlyInAnyOrder(
            "io.latchkey.crypto",
            "io.latchkey.crypto.aead",
            "io.latchkey.crypto.signing",
            "io.latchkey.crypto.apikey");
  }

  @Test
  void descriptor_requiresCore_andJacksonAnnotationsAtCompileTimeOnly() {
    assertThat(ModuleFiles.requires(FernetKeyRing.class))
        .containsOnly(
            Map.entry("io.latchkey", Set.of(Modifier.TRANSITIVE)),
            Map.entry("com.fasterxml.jackson.annotation", Set.of(Modifier.STATIC)));
  }
}
