package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module exports its one package and passes on the core and Log4j types its API shows. */
final class ModuleDescriptorTest {

  @Test
  void descriptor_exportsOnePackage_andRequiresCoreAndLog4jTransitively() {
    assertThat(ModuleFiles.descriptor(LatchkeyLog4j2.class).exports())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo("io.latchkey.log4j2"));
    assertThat(ModuleFiles.requires(LatchkeyLog4j2.class))
        .containsOnly(
            Map.entry("io.latchkey", Set.of(Modifier.TRANSITIVE)),
            Map.entry("org.apache.logging.log4j", Set.of(Modifier.TRANSITIVE)),
            Map.entry("org.apache.logging.log4j.core", Set.of(Modifier.TRANSITIVE)));
  }
}
