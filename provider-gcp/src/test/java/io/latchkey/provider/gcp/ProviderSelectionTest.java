package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.testsupport.IsolatedClassLoader;
import io.latchkey.testsupport.ProviderProbe;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code SECRET_PROVIDER=gcp} selects this provider through {@link java.util.ServiceLoader}, and
 * finding it among the providers loads nothing of Google's client nor of gRPC.
 */
final class ProviderSelectionTest {
  private static final String PACKAGE = "io.latchkey.provider.gcp.";

  /**
   * Whether a loaded class is one of the client's or gRPC's, or this module's beyond the factory.
   */
  private static boolean heavy(String name) {
    return name.startsWith("com.google.")
        || name.startsWith("io.grpc.")
        || name.startsWith("com.fasterxml.")
        || (name.startsWith(PACKAGE) && !name.equals(GcpSecretProviderFactory.class.getName()));
  }

  @Test
  void gcp_selectsThisProvider_withItsSettingsFromTheSameEnvironment() {
    try (FakeSecretManager gcp = FakeSecretManager.start();
        SecretProvider provider =
            SecretProviders.select(with(gcp.environment(), "SECRET_PROVIDER", "gcp"))) {
      gcp.addVersion("db", utf8("value"));

      assertThat(provider).isInstanceOf(GcpSecretProvider.class);
      assertThat(provider.name()).isEqualTo("gcp");
      assertThat(provider.fetch(SecretRef.parse("gcp:db")).value().reveal()).isEqualTo("value");
    }
  }

  @Test
  void gcp_withWrongSettings_reportsTheProvidersOwnProblems() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                SecretProviders.select(
                    Map.of("SECRET_PROVIDER", "gcp", "LATCHKEY_GCP_TIMEOUT", "forever")));

    assertThat(e.problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly("LATCHKEY_GCP_TIMEOUT");
  }

  @Test
  void available_listsGcp_andItsFactory() {
    assertThat(SecretProviders.available()).contains("gcp");
    assertThat(ProviderProbe.factoryType("gcp")).contains(GcpSecretProviderFactory.class.getName());
    assertThat(GcpSecretProviderFactory.class.getAnnotation(ProviderName.class).value())
        .isEqualTo("gcp");
  }

  @Test
  void serviceFile_registersTheFactory() throws Exception {
    try (InputStream in =
        GcpSecretProviderFactory.class
            .getClassLoader()
            .getResourceAsStream("META-INF/services/" + SecretProviderFactory.class.getName())) {
      List<String> lines =
          Arrays.stream(new String(in.readAllBytes(), UTF_8).split("\n"))
              .map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#"))
              .collect(Collectors.toList());
      assertThat(lines).containsExactly(GcpSecretProviderFactory.class.getName());
    }
  }

  @Test
  void factory_namesNoTypeOfTheClientInItsFieldsOrSignatures() {
    List<Type> types = new ArrayList<>();
    for (Field f : GcpSecretProviderFactory.class.getDeclaredFields()) {
      types.add(f.getGenericType());
    }
    for (Method m : GcpSecretProviderFactory.class.getDeclaredMethods()) {
      types.add(m.getGenericReturnType());
      types.addAll(List.of(m.getGenericParameterTypes()));
      types.addAll(List.of(m.getGenericExceptionTypes()));
    }
    for (Constructor<?> c : GcpSecretProviderFactory.class.getDeclaredConstructors()) {
      types.addAll(List.of(c.getGenericParameterTypes()));
    }

    assertThat(types)
        .extracting(Type::getTypeName)
        .noneMatch(n -> n.contains("com.google") || n.contains("io.grpc"));
  }

  @Test
  void listingProviders_loadsNoClassOfTheClient_norOfThisModuleBeyondTheFactory() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe.LookUp lookUp = ProviderProbe.in(loader).lookUp("gcp");

      assertThat(lookUp.available()).contains("gcp");
      assertThat(lookUp.factory()).isEqualTo(GcpSecretProviderFactory.class.getName());
      assertThat(loader.loaded()).contains(GcpSecretProviderFactory.class.getName());
      assertThat(loader.loaded()).filteredOn(ProviderSelectionTest::heavy).isEmpty();
    }
  }

  @Test
  void selectingGcp_loadsTheClient_theControlForTheTestAbove() {
    try (FakeSecretManager gcp = FakeSecretManager.start();
        IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe.Selection selected =
          ProviderProbe.in(loader).select(with(gcp.environment(), "SECRET_PROVIDER", "gcp"));

      assertThat(selected.name()).isEqualTo("gcp");
      assertThat(selected.type()).isEqualTo(GcpSecretProvider.class.getName());
      assertThat(loader.loaded())
          .contains(GcpSecretProvider.class.getName())
          .anyMatch(n -> n.startsWith("com.google.cloud.secretmanager."))
          .anyMatch(n -> n.startsWith("io.grpc."));
    }
  }
}
