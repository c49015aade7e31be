package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module exports its one package and passes on the crypto and Jackson types its API shows. */
final class ModuleDescriptorTest {

  @Test
  void descriptor_exportsOnePackage_andRequiresCryptoAndJacksonTransitively() {
    assertThat(ModuleFiles.descriptor(LatchkeyModule.class).exports())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo("io.latchkey.jackson"));
    assertThat(ModuleFiles.requires(LatchkeyModule.class))
        .containsOnly(
            Map.entry("io.latchkey.crypto", Set.of(Modifier.TRANSITIVE)),
            Map.entry("com.fasterxml.jackson.databind", Set.of(Modifier.TRANSITIVE)));
  }
}
