package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The redactor learns the credentials of a setting that is not secret by the same rule the report
 * masks them with ("How URLs are masked" in docs/security.md): whatever the report hides of a
 * value, the redactor hides wherever the value is logged. Random secrets, with {@code / ? # @},
 * spaces and Unicode, in every credential position of every URL shape.
 */
final class UrlCredentialsRedactionPropertyTest {
  private static final Setting<String> CACHE_URL = Setting.string("CACHE_URL").build();

  private static Config load(String value) {
    return ConfigSchema.builder()
        .add(CACHE_URL)
        .build()
        .load(ConfigSource.of(Map.of("CACHE_URL", value), Origin.Kind.ENV));
  }

  @Test
  void redact_urlPasswordHoldingASlash_inASettingNotMarkedSecret_isMasked() {
    String password = "Xk9/pQ2mZ7wL4vRt";
    String url = "redis://default:" + password + "@redis:6379/0";
    Config config = load(url);
    assertThat(config.toString()).as("the report masks it").doesNotContain(password);

    String redacted = Redactor.of(config).redact("cache at " + url + " is down");

    assertThat(redacted).isEqualTo("cache at redis://default:***@redis:6379/0 is down");
  }

  @Test
  void redact_passwordsWithUrlDelimiters_areMaskedAsTheReportMasksThem() {
    SplittableRandom random = new SplittableRandom(0x5EA7L);
    String delimiters = "/?#@ :";
    for (int i = 0; i < 1_000; i++) {
      StringBuilder password = new StringBuilder(Leaks.randomSecret(random, 40));
      for (int k = random.nextInt(1, 4); k > 0; k--) {
        password.insert(
            random.nextInt(1, password.length()),
            delimiters.charAt(random.nextInt(delimiters.length())));
      }
      String secret = password.toString();
      if (secret.contains("://") || Character.isSurrogate(secret.charAt(0))) {
        continue;
      }
      String url = "postgresql://app:" + secret + "@db.example.com:5432/app?sslmode=require";
      Config config = load(url);

      String redacted = Redactor.of(config).redact("connecting to " + url + " failed");

      Leaks.assertNoLeak("case " + i + ", the report", config.toString(), secret);
      Leaks.assertNoLeak("case " + i + ", the redacted line", redacted, secret);
      assertThat(redacted)
          .as("case %d", i)
          .isEqualTo("connecting to " + Masking.url(url) + " failed");
    }
  }

  @Test
  void redact_everyCredentialPositionOfEveryShape_hidesWhatTheReportHides() {
    SplittableRandom random = new SplittableRandom(20261207);
    for (int i = 0; i < 3_000; i++) {
      String secret = Leaks.randomSecret(random, 128);
      int shape = i % UrlShapes.COUNT;
      String name =
          UrlShapes.CREDENTIAL_NAMES.get(random.nextInt(UrlShapes.CREDENTIAL_NAMES.size()));
      boolean encoded = random.nextBoolean();
      UrlShapes.Placed placed = UrlShapes.place(shape, name, secret, encoded);
      String what = "shape " + shape + (encoded ? " encoded" : " raw") + " name " + name + " #" + i;
      Config config = load(placed.text());
      Leaks.assertNoLeak(what + ", the report", Masking.url(placed.text()), secret);

      String redacted = Redactor.of(config).redact("upstream " + placed.text() + " refused");

      Leaks.assertNoLeak(what + ", the redacted line", redacted, secret);
    }
  }
}
