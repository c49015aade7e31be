package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider as a configuration source: the members of one JSON secret, read once. */
final class ConfigViewTest {
  private FakeSecretManager gcp;

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
  }

  @AfterEach
  void stop() {
    gcp.close();
  }

  private GcpSecretProvider provider(String configSecret) {
    return GcpSecretProvider.fromEnvironment(
        with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", configSecret));
  }

  @Test
  void unset_theViewIsEmpty_andNothingIsRead() {
    try (GcpSecretProvider p = GcpSecretProvider.fromEnvironment(gcp.environment())) {
      assertThat(p.get("DATABASE_URL")).isEmpty();
      assertThat(p.names()).isEmpty();
    }
    assertThat(gcp.requests("AccessSecretVersion")).isZero();
  }

  @Test
  void set_servesTheMembers_withTheSecretAsOrigin() {
    gcp.addVersion(
        "app-config", utf8("{\"DATABASE_URL\":\"postgres://db/app\",\"POOL_SIZE\":20,\"X\":null}"));
    try (GcpSecretProvider p = provider("app-config")) {
      ConfigValue url = p.get("DATABASE_URL").orElseThrow();

      assertThat(url.name()).isEqualTo("DATABASE_URL");
      assertThat(url.text()).isEqualTo("postgres://db/app");
      assertThat(url.origin()).isEqualTo(Origin.of(Origin.Kind.PROVIDER, "gcp:app-config"));
      assertThat(p.get("POOL_SIZE").orElseThrow().text()).isEqualTo("20");
      // A null member is a setting left unset, as with every provider.
      assertThat(p.get("X")).isEmpty();
      assertThat(p.get("MISSING")).isEmpty();
      assertThat(p.names()).containsExactly("DATABASE_URL", "POOL_SIZE");
      assertThat(p.description()).endsWith(", config gcp:app-config)");
    }
  }

  @Test
  void theSecret_isReadOnce_aStartUpSnapshot() {
    gcp.addVersion("app-config", utf8("{\"MODE\":\"first\"}"));
    try (GcpSecretProvider p = provider("gcp:app-config")) {
      assertThat(p.get("MODE").orElseThrow().text()).isEqualTo("first");
      gcp.addVersion("app-config", utf8("{\"MODE\":\"second\"}"));

      assertThat(p.get("MODE").orElseThrow().text()).isEqualTo("first");
      assertThat(p.names()).containsExactly("MODE");
    }
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
  }

  @Test
  void aFullNameWithVersionAndField_selectsANestedObject() {
    gcp.addVersion(
        "other-project", "shared", utf8("{\"service-a\":{\"TIMEOUT\":\"5s\"},\"service-b\":{}}"));
    gcp.addVersion("other-project", "shared", utf8("{}"));
    try (GcpSecretProvider p =
        provider("projects/other-project/secrets/shared/versions/1#service-a")) {
      assertThat(p.get("TIMEOUT").orElseThrow().text()).isEqualTo("5s");
    }
  }

  @Test
  void aSecretThatIsNotAJsonObject_isAConfigProblem_withoutItsValue() {
    gcp.addVersion("app-config", utf8("MODE=hunter2"));
    try (GcpSecretProvider p = provider("app-config")) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> p.get("MODE"));

      assertThat(e.problems())
          .containsExactly(
              new ConfigException.Problem(
                  "LATCHKEY_GCP_CONFIG_SECRET", "secret gcp:app-config is not a JSON object"));
      assertThat(e.getMessage()).doesNotContain("hunter2");
    }
  }

  @Test
  void aFailedRead_isAConfigProblem_andTheNextUseTriesAgain() {
    gcp.addVersion("app-config", utf8("{\"MODE\":\"on\"}"));
    gcp.fail(Failure.PERMISSION_DENIED, 1);
    try (GcpSecretProvider p = provider("app-config")) {
      ConfigException e = catchThrowableOfType(ConfigException.class, p::names);

      assertThat(e.problems().get(0).setting()).isEqualTo("LATCHKEY_GCP_CONFIG_SECRET");
      assertThat(e.problems().get(0).reason())
          .isEqualTo(
              "secret gcp:app-config could not be read: access denied: permission denied"
                  + " (PERMISSION_DENIED, IAM_PERMISSION_DENIED); the caller needs"
                  + " secretmanager.versions.access on the secret");
      assertThat(p.get("MODE").orElseThrow().text()).isEqualTo("on");
    }
  }

  @Test
  void aMissingSecret_isAConfigProblem() {
    try (GcpSecretProvider p = provider("app-config")) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> p.get("MODE"));

      assertThat(e.problems().get(0).reason())
          .isEqualTo(
              "names secret gcp:app-config, which was not found: no such secret or version"
                  + " (NOT_FOUND)");
    }
  }
}
