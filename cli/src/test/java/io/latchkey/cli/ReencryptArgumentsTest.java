package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code latchkey reencrypt} refuses credentials on its command line before doing anything. */
final class ReencryptArgumentsTest {
  private static final String CANARY = "CANARY-pw-9c1d";
  private static final Map<String, String> ENV =
      Map.of("APP_KEY", MainTest.encoded(FernetKey.generate()));

  @Test
  void reencrypt_credentialInUrl_usageErrorThatSaysWhereCredentialsGoAndNeverQuotesIt() {
    for (String url :
        List.of(
            "jdbc:postgresql://app:" + CANARY + "@db:5432/app",
            "jdbc:postgresql://" + CANARY + "@db:5432/app",
            "jdbc:sqlserver://db:1433;databaseName=app;PWD=" + CANARY,
            "jdbc:sqlserver://db:1433;pwd=" + CANARY,
            "jdbc:postgresql://db/app?password=" + CANARY,
            "jdbc:postgresql://db/app?accessToken=" + CANARY)) {
      Cli.Result r =
          Cli.run(
              ENV,
              "",
              "reencrypt",
              "--jdbc-url",
              url,
              "--key-env",
              "APP_KEY",
              "--table",
              "t",
              "--key-column",
              "id",
              "--ciphertext-column",
              "c");

      assertThat(r.exitCode()).as(url).isEqualTo(2);
      assertThat(r.stderr())
          .as(url)
          .startsWith("latchkey reencrypt: --jdbc-url must not hold credentials")
          .contains("--db-user", "--db-password-env")
          .doesNotContain(CANARY, "db:5432", "jdbc:");
      Leaks.assertNoLeak("stderr", r.stderr(), CANARY);
      assertThat(r.stdout()).isEmpty();
    }
  }

  @Test
  void reencrypt_targetsFileNotLookingLikeAPath_namesTheOptionOnly() {
    Cli.Result r =
        Cli.run(
            ENV,
            "",
            "reencrypt",
            "--jdbc-url",
            "jdbc:h2:mem:unused",
            "--key-env",
            "APP_KEY",
            "--targets",
            CANARY);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey reencrypt: --targets (value not shown: it does not look like a path):"
                + " does not exist\n");
  }
}
