package io.latchkey.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module exports its one package and passes on what its API shows: core's {@code KeyRing},
 * crypto's {@code AssociatedData} and JDBC's {@code DataSource}.
 */
final class ModuleDescriptorTest {

  @Test
  void descriptor_exportsOnePackage_andRequiresCoreCryptoAndJdbcTransitively() {
    assertThat(ModuleFiles.descriptor(ReencryptionJob.class).exports())
        .extracting(Exports::source, Exports::isQualified)
        .containsExactly(tuple("io.latchkey.reencrypt", false));
    assertThat(ModuleFiles.requires(ReencryptionJob.class))
        .containsOnly(
            Map.entry("io.latchkey", Set.of(Modifier.TRANSITIVE)),
            Map.entry("io.latchkey.crypto", Set.of(Modifier.TRANSITIVE)),
            Map.entry("java.sql", Set.of(Modifier.TRANSITIVE)));
  }
}
