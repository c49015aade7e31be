package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module exports its one package and passes on the core and Logback types its API shows. */
final class ModuleDescriptorTest {

  @Test
  void descriptor_exportsOnePackage_andRequiresCoreAndLogbackTransitively() {
    assertThat(ModuleFiles.descriptor(LatchkeyLogback.class).exports())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo("io.latchkey.logback"));
    assertThat(ModuleFiles.requires(LatchkeyLogback.class))
        .containsOnly(
            Map.entry("io.latchkey", Set.of(Modifier.TRANSITIVE)),
            Map.entry("ch.qos.logback.classic", Set.of(Modifier.TRANSITIVE)),
            Map.entry("ch.qos.logback.core", Set.of(Modifier.TRANSITIVE)));
  }
}
