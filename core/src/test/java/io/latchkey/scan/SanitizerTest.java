package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.SyntheticSecrets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Outbound text cleaned of known values and of credentials found by shape. */
final class SanitizerTest {
  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(13));

  @Test
  void clean_masksFindingsByRule_andLeavesTheRest() {
    String token = secrets.githubToken("ghp_");
    String text = "Please debug: git clone https://" + token + "@github.com/acme/app.git fails";
    String clean = Sanitizer.defaults().clean(text);
    assertThat(clean)
        .isEqualTo(
            "Please debug: git clone https://[REDACTED:github-token]@github.com/acme/app.git fails");
  }

  @Test
  void clean_withARedactor_masksKnownValuesThatHaveNoShape() {
    String known = "correct horse battery staple 42";
    String key = secrets.anthropicKey();
    Redactor redactor = Redactor.builder().value("DB_PASSWORD", Secret.of(known)).build();
    String clean = Sanitizer.of(redactor).clean("db pw is " + known + "; key " + key + ".");
    assertThat(clean).isEqualTo("db pw is ***; key [REDACTED:anthropic-api-key].");
    Leaks.assertNoLeak("sanitised text", clean, known);
    Leaks.assertNoLeak("sanitised text", clean, key);
  }

  @Test
  void clean_overlappingFindings_leaveNothingOfEither() {
    String jwt = secrets.jwt();
    String text = "id_token=" + jwt + "\n";
    String clean = Sanitizer.of(SecretScanner.defaults()).clean(text);
    assertThat(clean).isEqualTo("id_token=[REDACTED:jwt]\n");
  }

  @Test
  void clean_nothingToMask_returnsTheText() {
    String text = "2024-05-14 INFO request served in 31 ms";
    assertThat(Sanitizer.defaults().clean(text)).isEqualTo(text);
    assertThat(Sanitizer.defaults().clean(java.nio.CharBuffer.wrap(text))).isEqualTo(text);
  }

  @Test
  void clean_allowedFingerprint_isLeftAsItIs() {
    String key = secrets.stripeKey();
    String text = "fixture key " + key;
    String fingerprint = SecretScanner.defaults().scan(text).get(0).fingerprint();
    SecretScanner allowing = SecretScanner.defaults().withAllowed(List.of(fingerprint));
    assertThat(Sanitizer.of(allowing).clean(text)).isEqualTo(text);
  }

  @Test
  void toString_saysWhatIsUsed_neverAValue() {
    Redactor redactor = Redactor.builder().value("K", Secret.of("a-value-of-some-length")).build();
    assertThat(Sanitizer.of(SecretScanner.defaults(), redactor))
        .hasToString("Sanitizer[scanner=SecretScanner[rules=15, allowed=0], redactor=yes]");
  }
}
