package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.ScanCorpus;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every credential of the scanner's corpus, scanned by the command line in both formats: each is
 * reported, and neither the report nor the SARIF log nor the errors hold any of them in any form
 * {@link Leaks} knows.
 */
final class ScanCanaryPropertyTest {
  /** The corpus that core's tests keep, read here from the source tree. */
  private static final Path POSITIVES =
      Path.of("../core/src/test/resources/scan-corpus/positives").toAbsolutePath().normalize();

  /**
   * The prefixes every token of a kind starts with, which the rules' descriptions name: they are
   * public, and only what follows them is the secret.
   */
  private static final Pattern PUBLIC_PREFIX =
      Pattern.compile(
          "^(github_pat_|sk-proj-|sk-svcacct-|sk-admin-|sk-ant-api03-|sk_live_|sk_test_|rk_live_"
              + "|rk_test_)");

  @Test
  void textAndSarif_overTheWholeCorpus_holdNoCredential() {
    for (String format : new String[] {"text", "sarif"}) {
      Cli.Result r =
          Cli.run(GitRepo.env(), "", "scan", "--format", format, "-C", POSITIVES.toString());
      assertThat(r.exitCode()).as(format).isEqualTo(1);
      for (ScanCorpus.Label label : ScanCorpus.labels()) {
        String secret = PUBLIC_PREFIX.matcher(label.value()).replaceFirst("");
        // OpenAI's keys hold "T3BlbkFJ" (base64 of "OpenAI"), which the rule's description names.
        for (String part : secret.split("T3BlbkFJ")) {
          Leaks.assertNoLeak(format + " report, " + label, r.stdout(), part);
          Leaks.assertNoLeak(format + " errors, " + label, r.stderr(), part);
        }
      }
      if (format.equals("text")) {
        assertThat(r.stdout().lines().count()).isEqualTo(ScanCorpus.labels().size());
      }
    }
  }
}
