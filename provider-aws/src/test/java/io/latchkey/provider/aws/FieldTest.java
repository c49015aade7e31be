package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A field read out of a fetched whole secret is what a fetch of the field gives, with no call. */
final class FieldTest {
  private static final String CANARY = "cAnArY-f1e1d5";

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider;

  FieldTest() {
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_TIMEOUT", "2s");
    provider = AwsSecretProvider.fromEnvironment(env);
    fake.putSecretString(
        "prod/db",
        "{\"user\":\"app\",\"password\":\"" + CANARY + "\",\"port\":5432,\"opts\":{\"ssl\":true}}");
  }

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private SecretVersion whole(String name) {
    return provider.fetch(SecretRef.parse("aws:" + name));
  }

  @Test
  void field_severalFields_equalsFetchOfTheField() {
    SecretVersion whole = whole("prod/db");
    for (String field : List.of("user", "password", "port", "opts")) {
      SecretRef ref = SecretRef.parse("aws:prod/db#" + field);
      SecretVersion fetched = provider.fetch(ref);

      SecretVersion read = provider.field(ref, whole);

      assertThat(read.value().reveal()).isEqualTo(fetched.value().reveal());
      assertThat(read.versionId()).isEqualTo(fetched.versionId()).isPresent();
      assertThat(read.stages()).isEqualTo(fetched.stages()).contains("AWSCURRENT");
      assertThat(read.fetchedAt()).isEqualTo(whole.fetchedAt());
    }
    assertThat(provider.extractsFields()).isTrue();
  }

  @Test
  void field_makesNoRequest() {
    SecretVersion whole = whole("prod/db");
    fake.resetCounters();

    provider.field(SecretRef.parse("aws:prod/db#user"), whole);
    provider.field(SecretRef.parse("aws:prod/db#password"), whole);

    assertThat(fake.requests("GetSecretValue")).isZero();
    assertThat(fake.requests("DescribeSecret")).isZero();
    assertThat(fake.requests("BatchGetSecretValue")).isZero();
  }

  @Test
  void field_missingMember_throwsNotFoundNamingTheRef_withoutTheValue() {
    SecretRef ref = SecretRef.parse("aws:prod/db#missing");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider.field(ref, whole("prod/db")));

    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.getMessage()).contains("aws:prod/db#missing");
    Leaks.assertNoLeak(e, CANARY);
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
        .hasMessage(e.getMessage());
  }

  @Test
  void field_wholeNotAJsonObject_throwsNotFound_asFetchDoes() {
    fake.putSecretString("plain", CANARY + "-plain");
    fake.putSecretString("array", "[\"" + CANARY + "\"]");
    for (String name : List.of("plain", "array")) {
      SecretRef ref = SecretRef.parse("aws:" + name + "#password");

      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class, () -> provider.field(ref, whole(name)));

      assertThat(e.ref()).isEqualTo(ref);
      Leaks.assertNoLeak(e, CANARY);
      assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
          .hasMessage(e.getMessage());
    }
  }

  @Test
  void field_followsTheOneFieldRule_nullIsAbsent_numbersAsWritten_namesOnce() {
    fake.putSecretString("rules", "{\"unset\":null,\"ratio\":1.50,\"big\":1e3}");
    fake.putSecretString("twice", "{\"password\":\"" + CANARY + "\",\"password\":\"b\"}");
    SecretVersion rules = whole("rules");

    for (String field : List.of("ratio", "big")) {
      SecretRef ref = SecretRef.parse("aws:rules#" + field);
      assertThat(provider.field(ref, rules).value().reveal())
          .isEqualTo(provider.fetch(ref).value().reveal())
          .isEqualTo(field.equals("ratio") ? "1.50" : "1e3");
    }
    SecretRef unset = SecretRef.parse("aws:rules#unset");
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(unset)))
        .hasMessage(
            catchThrowableOfType(SecretNotFoundException.class, () -> provider.field(unset, rules))
                .getMessage())
        .hasMessageContaining("no field 'unset'");
    SecretRef twice = SecretRef.parse("aws:twice#password");
    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(twice));
    assertThat(e.reason()).contains("not a JSON object");
    Leaks.assertNoLeak(e, CANARY);
  }

  @Test
  void field_binaryWholeHoldingJson_throwsNotFound_asFetchDoes() {
    fake.putSecretBinary("bin", ("{\"password\":\"" + CANARY + "\"}").getBytes(UTF_8));
    SecretRef ref = SecretRef.parse("aws:bin#password");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider.field(ref, whole("bin")));

    assertThat(e.ref()).isEqualTo(ref);
    Leaks.assertNoLeak(e, CANARY);
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref)))
        .hasMessage(e.getMessage());
  }
}
