package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.ScanCorpus;
import io.latchkey.testsupport.SyntheticSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The name an excerpt shows before the mask is a setting's name, never a credential, a hash or a
 * token standing where the name would be.
 */
final class ExcerptNamesTest {
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Rk2Lm5N";
  private static final String ACCESS_KEY_ID = "AKIAZ3MHYQ2BTK5RN4XP";
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

  private static String excerpts(String text) {
    StringBuilder out = new StringBuilder();
    for (Finding f : SecretScanner.defaults().scan(text)) {
      out.append(f.excerpt()).append('\n').append(f).append('\n');
    }
    return out.toString();
  }

  @Test
  void named_accessKeyIdBeforeTheSecret_isMasked() {
    List<Finding> found =
        SecretScanner.defaults().scan("aws_creds: " + ACCESS_KEY_ID + ":" + AWS_SECRET);

    assertThat(found).extracting(Finding::excerpt).doesNotContain(ACCESS_KEY_ID + "=****");
    Leaks.assertNoLeak(
        "the excerpts", excerpts("aws_creds: " + ACCESS_KEY_ID + ":" + AWS_SECRET), ACCESS_KEY_ID);
  }

  @Test
  void named_hexDigestBeforeTheSecret_isMasked() {
    String text = "aws " + SHA1 + " " + AWS_SECRET;

    assertThat(SecretScanner.defaults().scan(text)).isNotEmpty();
    Leaks.assertNoLeak("the excerpts", excerpts(text), SHA1);
  }

  @Test
  void named_settingName_isShown() {
    assertThat(SecretScanner.defaults().scan("aws_secret_access_key: " + AWS_SECRET))
        .extracting(Finding::excerpt)
        .containsExactly("aws_secret_access_key=****");
    assertThat(SecretScanner.defaults().scan("spring.datasource.password=Xk9vQ2mLp7Rt4wZs"))
        .extracting(Finding::excerpt)
        .containsExactly("spring.datasource.password=****");
  }

  @Test
  void databaseUrl_userThatIsAnAccessKeyId_isMasked() {
    String text = "mongodb+srv://" + ACCESS_KEY_ID + ":Vq7xK2mZp9Lr4tWb@cluster0.example.net/db";

    List<Finding> found = SecretScanner.defaults().scan(text);

    assertThat(found).extracting(Finding::excerpt).contains("mongodb+srv://****:****@");
    Leaks.assertNoLeak("the excerpts", excerpts(text), ACCESS_KEY_ID);
  }

  @Test
  void databaseUrl_plainUser_isShown() {
    assertThat(SecretScanner.defaults().scan("postgres://app_user:Vq7xK2mZp9Lr4tWb@db/app"))
        .extracting(Finding::excerpt)
        .containsExactly("postgres://app_user:****@");
  }

  /** Every detector's sample credentials, synthetic and from the corpus. */
  private static List<String> samples() {
    SyntheticSecrets s = new SyntheticSecrets(new SplittableRandom(ScanCorpus.SEED));
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(s.awsAccessKeyId());
      all.add(s.awsSecretAccessKey());
      all.add(s.githubToken("ghp_"));
      all.add(s.githubFineGrainedToken());
      all.add(s.gitlabToken());
      all.add(s.slackToken());
      all.add(s.slackWebhook());
      all.add(s.stripeKey());
      all.add(s.openAiKey());
      all.add(s.anthropicKey());
      all.add(s.jwt());
      all.add(s.draw("0123456789abcdef", 40));
      all.add(s.draw("0123456789ABCDEF", 64));
    }
    ScanCorpus.labels().forEach(l -> all.add(l.value()));
    return all;
  }

  /** A webhook's host and path are public, and its own excerpt shows them: the rest is secret. */
  private static String secretPart(String sample) {
    int services = sample.indexOf("/services/");
    return services < 0 ? sample : sample.substring(services + "/services/".length());
  }

  @Test
  void excerpts_everySampleInTheNamePosition_neverShowIt() {
    for (String sample : samples()) {
      List<String> texts =
          List.of(
              "aws_creds: " + sample + ":" + AWS_SECRET,
              "aws " + sample + " = " + AWS_SECRET,
              "aws \"" + sample + "\": \"" + AWS_SECRET + "\"",
              sample + "_password = \"Xk9vQ2mLp7Rt4wZs\"",
              "mongodb://" + sample + ":Vq7xK2mZp9Lr4tWb@cluster0.example.net/db",
              "postgres://" + sample + ":Vq7xK2mZp9Lr4tWb@db/app");
      for (String text : texts) {
        String shown = excerpts(text);
        for (String line : shown.split("\n")) {
          if (!line.isEmpty()) {
            assertThat(line).doesNotContain(sample);
          }
        }
        Leaks.assertNoLeak(
            "the excerpts of a text with a sample as name", shown, secretPart(sample));
      }
    }
  }
}
