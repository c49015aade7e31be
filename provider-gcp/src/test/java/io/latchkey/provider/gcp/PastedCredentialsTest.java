package io.latchkey.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.testsupport.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The most common mistake with {@code GOOGLE_APPLICATION_CREDENTIALS}: the service account's JSON
 * key pasted into the variable (as CI systems and container platforms invite), instead of the path
 * of a file holding it. As security.md ("Paths in errors") says, the value is quoted only when it
 * looks like a path; the JSON key, private key included, is reported as a value not shown.
 */
final class PastedCredentialsTest {
  static final String KEY_MATERIAL =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC9f2cCANARY";
  static final String PRIVATE_KEY =
      "-----BEGIN PRIVATE KEY-----\\n" + KEY_MATERIAL + "\\n" + "-----END PRIVATE KEY-----\\n";
  static final String PASTED =
      "{\"type\": \"service_account\", \"project_id\": \"acme\", \"private_key_id\":"
          + " \"9f2c1a7e5b3d\", \"private_key\": \""
          + PRIVATE_KEY
          + "\", \"client_email\": \"svc@acme.iam.gserviceaccount.com\"}";

  @TempDir Path dir;

  @Test
  void credentialsVariableHoldingThePastedJsonKey_isReportedWithoutIt() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "acme", "GOOGLE_APPLICATION_CREDENTIALS", PASTED)));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .extracting(p -> p.setting())
        .contains("GOOGLE_APPLICATION_CREDENTIALS");
    Leaks.assertNoLeak(e, KEY_MATERIAL);
    assertThat(e.problems())
        .containsExactly(
            new ConfigException.Problem(
                "GOOGLE_APPLICATION_CREDENTIALS",
                "is not valid: credentialsFile is not a file (value not shown: it does not look"
                    + " like a path)"));
  }

  @Test
  void builder_givenThePastedJsonKeyAsAPath_isRefusedWithoutIt() {
    assertThatThrownBy(() -> GcpSecretProvider.builder().credentialsFile(Path.of(PASTED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credentialsFile is not a file (value not shown: it does not look like a path)")
        .satisfies(t -> Leaks.assertNoLeak(t, KEY_MATERIAL));
  }

  @Test
  void credentialsVariable_isSecret_soTheReportMasksIt() {
    assertThat(GcpSettings.CREDENTIALS.isSecret()).isTrue();
    Config config =
        GcpSettings.SCHEMA.load(
            ConfigSource.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", PASTED), Origin.Kind.ENV));
    Leaks.assertNoLeak("report", config.report().toTable(), KEY_MATERIAL);
    Leaks.assertNoLeak("Config.toString()", config.toString(), KEY_MATERIAL);
  }

  @Test
  void fileThatIsNotCredentials_underANameThatIsNoPath_isReportedWithoutTheName() throws Exception {
    // A file does exist under the start of the pasted text (without slashes, and short enough for
    // a file name): the read fails on its content, and the message must not quote the name either.
    Path file = Files.writeString(dir.resolve(PASTED.substring(0, 200).replace('/', '_')), "{}");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "acme",
                        "LATCHKEY_GCP_ENDPOINT", "127.0.0.1:1",
                        "GOOGLE_APPLICATION_CREDENTIALS", file.toString())));

    assertThat(e).isNotNull();
    Leaks.assertNoLeak(e, KEY_MATERIAL);
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("GOOGLE_APPLICATION_CREDENTIALS");
    assertThat(e.problems().get(0).reason())
        .matches(
            "is not a credentials file the Google auth library reads \\(\\w+; value not shown: it"
                + " does not look like a path\\)")
        .doesNotContain(dir.toString());
  }
}
