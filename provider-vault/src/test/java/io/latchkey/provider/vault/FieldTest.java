package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A field read out of a fetched whole KV secret is what a fetch of the field gives, with no call.
 */
final class FieldTest {
  private static final String CANARY = "cAnArY-7a11f0";

  private final FakeVault vault = FakeVault.start();
  private final VaultSecretProvider provider = provider(vault);

  FieldTest() {
    vault.putKv2Json(
        "secret",
        "db",
        "{\"user\":\"app\",\"password\":\"" + CANARY + "\",\"port\":5432,\"opts\":{\"ssl\":true}}");
    vault.putKv2("secret", "single", Map.of("password", CANARY));
  }

  @AfterEach
  void close() {
    provider.close();
    vault.close();
  }

  @Test
  void field_severalFields_equalsFetchOfTheField() {
    SecretVersion whole = provider.fetch(ref("vault:secret/db"));
    for (String field : List.of("user", "password", "port", "opts")) {
      SecretRef ref = ref("vault:secret/db#" + field);
      SecretVersion fetched = provider.fetch(ref);

      SecretVersion read = provider.field(ref, whole);

      assertThat(read.value().reveal()).isEqualTo(fetched.value().reveal());
      assertThat(read.versionId()).isEqualTo(fetched.versionId()).contains("1");
      assertThat(read.stages()).isEqualTo(fetched.stages());
      assertThat(read.fetchedAt()).isEqualTo(whole.fetchedAt());
    }
    assertThat(provider.extractsFields()).isTrue();
  }

  @Test
  void field_secretWithOneKey_wholeIsItsValue_stillEqualsFetch() {
    SecretVersion whole = provider.fetch(ref("vault:secret/single"));
    SecretRef ref = ref("vault:secret/single#password");

    assertThat(provider.field(ref, whole).value().reveal())
        .isEqualTo(provider.fetch(ref).value().reveal())
        .isEqualTo(CANARY);
    SecretRef other = ref("vault:secret/single#user");
    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.field(other, whole));
    assertThat(e)
        .hasMessage(
            catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(other))
                .getMessage());
  }

  @Test
  void field_makesNoRequest() {
    SecretVersion whole = provider.fetch(ref("vault:secret/db"));
    // The secret's paths only: the renewer may look the token up meanwhile.
    long before = vault.requests("/v1/secret/");

    provider.field(ref("vault:secret/db#user"), whole);
    provider.field(ref("vault:secret/db#password"), whole);

    assertThat(vault.requests("/v1/secret/")).isEqualTo(before);
  }

  @Test
  void field_missingMember_throwsNotFoundNamingTheRef_withoutTheValue() {
    SecretRef ref = ref("vault:secret/db#missing");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.field(ref, provider.fetch(ref("vault:secret/db"))));

    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.getMessage()).contains("vault:secret/db#missing");
    Leaks.assertNoLeak(e, CANARY);
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
        .hasMessage(e.getMessage());
  }

  @Test
  void field_wholeNotAJsonObject_throwsNotFound_withoutTheValue() {
    SecretRef ref = ref("vault:secret/other#password");
    for (String text : List.of(CANARY, "[\"" + CANARY + "\"]", "{\"password\":\"" + CANARY)) {
      SecretVersion whole = SecretVersion.of(Secret.of(text), "3", Instant.EPOCH);

      SecretNotFoundException e =
          catchThrowableOfType(SecretNotFoundException.class, () -> provider.field(ref, whole));

      assertThat(e.ref()).isEqualTo(ref);
      Leaks.assertNoLeak(e, CANARY);
    }
  }

  @Test
  void field_nullMember_isAbsent_asEveryProviderReadsIt() {
    vault.putKv2Json("secret", "partial", "{\"user\":\"app\",\"password\":null}");
    SecretRef ref = ref("vault:secret/partial#password");

    SecretNotFoundException fetched =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref));
    SecretNotFoundException read =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.field(ref, provider.fetch(ref("vault:secret/partial"))));

    assertThat(fetched.reason()).isEqualTo("the secret has no field 'password'");
    assertThat(read).hasMessage(fetched.getMessage());
  }

  @Test
  void fetch_nonStringMembers_areTheirJsonText() {
    vault.putKv2Json("secret", "typed", "{\"n\":1.5,\"b\":true,\"o\":{\"a\":[1,2]}}");

    assertThat(provider.fetch(ref("vault:secret/typed#n")).value().reveal()).isEqualTo("1.5");
    assertThat(provider.fetch(ref("vault:secret/typed#b")).value().reveal()).isEqualTo("true");
    assertThat(provider.fetch(ref("vault:secret/typed#o")).value().reveal())
        .isEqualTo("{\"a\":[1,2]}");
  }
}
