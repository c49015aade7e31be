package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.SyntheticSecrets;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The examples of docs/scanning.md, as they are written there. */
final class ScanningExampleTest {
  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(17));

  @Test
  void scanAStringAndAStream() throws IOException {
    String token = secrets.githubToken("ghp_");
    String text = "# deploy\nGITHUB_TOKEN=" + token + "\n";
    List<String> lines = new ArrayList<>();
    for (Finding f : SecretScanner.defaults().scan(text)) {
      lines.add(f.rule().id() + " " + f.line() + ":" + f.column() + " " + f.excerpt());
    }
    assertThat(lines).containsExactly("github-token 2:14 ghp_****");

    List<Finding> report = new ArrayList<>();
    try (Reader in = new StringReader(text)) {
      SecretScanner.defaults().scan(in, finding -> report.add(finding));
    }
    assertThat(report).hasSize(1);
    assertThat(report.get(0).fingerprint()).hasSize(32);
  }

  @Test
  void allowAFixtureByFingerprint() {
    String fake = secrets.stripeKey();
    String fixture = "stripe.api_key = \"" + fake + "\"";
    String fingerprint = SecretScanner.defaults().scan(fixture).get(0).fingerprint();
    SecretScanner scanner = SecretScanner.defaults().withAllowed(List.of(fingerprint));
    assertThat(scanner.scan(fixture)).isEmpty();
    assertThat(scanner.withoutRules(List.of("generic-secret")).scan("password: Xq7#vL9!mZ2p"))
        .isEmpty();
  }

  @Test
  void sanitizeAPrompt() {
    String password = "the-database-password-2024";
    Redactor redactor = Redactor.builder().value("DATABASE_PASSWORD", Secret.of(password)).build();
    Sanitizer sanitizer = Sanitizer.of(redactor);
    String userText = "Why does login fail? My key is " + secrets.openAiKey();
    String logExcerpt = "ERROR connect failed: password " + password + " rejected";
    String prompt = sanitizer.clean(userText + "\n" + logExcerpt);
    assertThat(prompt)
        .isEqualTo(
            "Why does login fail? My key is [REDACTED:openai-api-key]\n"
                + "ERROR connect failed: password *** rejected");
  }
}
