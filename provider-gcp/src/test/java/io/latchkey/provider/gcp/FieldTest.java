package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.CANARY;
import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A field read out of a fetched whole payload is what a fetch of the field gives, with no call. */
final class FieldTest {
  private final FakeSecretManager gcp = FakeSecretManager.start();
  private final GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment());

  FieldTest() {
    gcp.addVersion(
        "db",
        utf8(
            "{\"user\":\"app\",\"password\":\""
                + CANARY
                + "\",\"port\":5432,\"opts\":{\"ssl\":true}}"));
    gcp.addVersion("plain", utf8(CANARY));
    gcp.addVersion("array", utf8("[\"" + CANARY + "\"]"));
  }

  @AfterEach
  void close() {
    provider.close();
    gcp.close();
  }

  @Test
  void field_severalFields_equalsFetchOfTheField() {
    for (String version : List.of("", "@1", "@latest")) {
      SecretVersion whole = provider.fetch(SecretRef.parse("gcp:db" + version));
      for (String field : List.of("user", "password", "port", "opts")) {
        SecretRef ref = SecretRef.parse("gcp:db" + version + "#" + field);
        SecretVersion fetched = provider.fetch(ref);

        SecretVersion read = provider.field(ref, whole);

        assertThat(read.value().reveal()).isEqualTo(fetched.value().reveal());
        assertThat(read.versionId()).isEqualTo(fetched.versionId()).contains("1");
        assertThat(read.stages()).isEqualTo(fetched.stages());
        assertThat(read.fetchedAt()).isEqualTo(whole.fetchedAt());
      }
    }
    assertThat(provider.extractsFields()).isTrue();
  }

  @Test
  void field_makesNoRequest() {
    SecretVersion whole = provider.fetch(SecretRef.parse("gcp:db"));
    long access = gcp.requests("AccessSecretVersion");
    long get = gcp.requests("GetSecretVersion");

    provider.field(SecretRef.parse("gcp:db#user"), whole);
    provider.field(SecretRef.parse("gcp:db#password"), whole);

    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(access);
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(get);
  }

  @Test
  void field_missingMember_throwsNotFoundNamingTheRef_withoutTheValue() {
    SecretRef ref = SecretRef.parse("gcp:db#missing");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.field(ref, provider.fetch(SecretRef.parse("gcp:db"))));

    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.getMessage()).contains("gcp:db#missing");
    Leaks.assertNoLeak(e, CANARY);
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
        .hasMessage(e.getMessage());
  }

  @Test
  void field_wholeNotAJsonObject_throwsNotFound_asFetchDoes() {
    for (String name : List.of("plain", "array")) {
      SecretRef ref = SecretRef.parse("gcp:" + name + "#password");

      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class,
              () -> provider.field(ref, provider.fetch(SecretRef.parse("gcp:" + name))));

      assertThat(e.ref()).isEqualTo(ref);
      Leaks.assertNoLeak(e, CANARY);
      assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
          .hasMessage(e.getMessage());
    }
  }
}
