package io.latchkey.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ModuleFiles;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires.Modifier;
import java.util.Map;
import java.util.Set;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.integrator.spi.Integrator;
import org.junit.jupiter.api.Test;

/**
 * The module exports its one package, needs Hibernate only statically, and registers the integrator
 * the same way in its descriptor and in {@code META-INF/services}.
 */
final class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() {
    return ModuleFiles.descriptor(LatchkeyJpa.class);
  }

  @Test
  void descriptor_exportsTheApi_andRequiresHibernateStatically() {
    assertThat(descriptor().name()).isEqualTo("io.latchkey.jpa");
    assertThat(descriptor().exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.latchkey.jpa");
    assertThat(ModuleFiles.requires(LatchkeyJpa.class))
        .containsOnly(
            Map.entry("io.latchkey.crypto", Set.of(Modifier.TRANSITIVE)),
            Map.entry("jakarta.persistence", Set.of(Modifier.TRANSITIVE)),
            Map.entry("org.hibernate.orm.core", Set.of(Modifier.STATIC)),
            Map.entry("org.hibernate.models", Set.of(Modifier.STATIC)),
            Map.entry("java.naming", Set.of(Modifier.STATIC)));
  }

  @Test
  void serviceFiles_agreeWithTheDescriptor() {
    for (Class<?> service : new Class<?>[] {Integrator.class, TypeContributor.class}) {
      assertThat(ModuleFiles.serviceProviders(LatchkeyJpa.class, service))
          .as(service.getSimpleName())
          .containsExactly(LatchkeyIntegrator.class.getName());
      assertThat(descriptor().provides())
          .filteredOn(p -> p.service().equals(service.getName()))
          .singleElement()
          .satisfies(
              p -> assertThat(p.providers()).containsExactly(LatchkeyIntegrator.class.getName()));
    }
  }
}
