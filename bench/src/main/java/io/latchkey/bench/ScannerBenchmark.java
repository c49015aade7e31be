package io.latchkey.bench;

import io.latchkey.scan.Finding;
import io.latchkey.scan.SecretScanner;
import io.latchkey.testsupport.ScanCorpus;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The secret scanner over a repository-like text, beside the obvious way: running each rule's
 * regular expression over the whole text.
 *
 * <p>The text is a little over 2 MiB of ASCII (so as many bytes of UTF-8; the setup prints its
 * exact length): source code (Java, Python, Go, TypeScript, SQL that read and pass secrets by
 * name), JSON (lock files, fixtures with placeholders and look-alike tokens) and server logs, from
 * the generator of the scanner's corpus, with one credential of some rule every 100 KiB.
 *
 * <ul>
 *   <li>{@code scanner_mixed} (ms per text): {@code SecretScanner.scan(String)}: one pass of the
 *       keyword automaton, validation around each keyword.
 *   <li>{@code scanner_mixedThroughReader} (ms): the same text through {@code scan(Reader)}, the
 *       path of files and standard input, in overlapping windows.
 *   <li>{@code regexPerRule_mixed} (ms): for each of the fifteen rules, its regular expression
 *       ({@code java.util.regex}, as a gitleaks-style scanner writes them) run with {@code find()}
 *       over the whole text; matches counted, nothing validated.
 * </ul>
 *
 * <p>Throughput is the text's length divided by the time; the scanner's must be at least 100 MB/s
 * and ten times the regular expressions'.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ScannerBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class ScannerBenchmark {
  static final int SIZE = 2 << 20;
  static final int EVERY = 100 << 10;

  /** Each rule as one regular expression, in the style of gitleaks' and detect-secrets' rules. */
  static final List<Pattern> RULE_PATTERNS =
      List.of(
          Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\\b"),
          Pattern.compile("(?i)aws.{0,40}?['\"=:\\s]([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"),
          Pattern.compile("\"type\"\\s*:\\s*\"service_account\""),
          Pattern.compile("\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b"),
          Pattern.compile("github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
          Pattern.compile("gl(?:pat|dt|rt|ptt|soat|ft|oas|cbt)-[A-Za-z0-9_.\\-]{20,}"),
          Pattern.compile("xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+"),
          Pattern.compile("hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/]{40,}"),
          Pattern.compile("\\b[rs]k_(?:live|test)_[A-Za-z0-9]{20,}"),
          Pattern.compile("\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}"),
          Pattern.compile("\\bsk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,}"),
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{3,}\\.[A-Za-z0-9_-]{16,}"),
          Pattern.compile("-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"),
          Pattern.compile(
              "(?i)(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql"
                  + "|sqlserver)://[^:/\\s]+:[^@/\\s]+@|jdbc:[^\\s\"']*password=[^&;\\s\"']+"),
          Pattern.compile(
              "(?i)(?:password|passwd|pwd|passphrase|secret|token|api[_.-]?key|access[_.]?key"
                  + "|auth_key|private_key)[\\w.-]*[\"']?\\s*[:=]\\s*[\"']?([^\\s\"']{8,})"));

  private final SecretScanner scanner = SecretScanner.defaults();
  private String text;

  @Setup
  public void setUp() {
    ScanCorpus.Mixed mixed = ScanCorpus.mixed(SIZE, EVERY, 42);
    text = mixed.text();
    int found = scanner_mixed().size();
    // Fails the run if either side misses what was put in, so that no figure comes from a bug.
    if (found != mixed.credentials() || regexPerRule_mixed() < mixed.credentials()) {
      throw new IllegalStateException(
          "found " + found + " credentials of " + mixed.credentials() + " put in the text");
    }
    System.out.println(
        "ScannerBenchmark: " + text.length() + " characters, " + found + " credentials");
  }

  @Benchmark
  public List<Finding> scanner_mixed() {
    return scanner.scan(text);
  }

  @Benchmark
  public long scanner_mixedThroughReader() throws IOException {
    return scanner.scan(new StringReader(text), f -> {});
  }

  @Benchmark
  public int regexPerRule_mixed() {
    int matches = 0;
    for (Pattern p : RULE_PATTERNS) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        matches++;
      }
    }
    return matches;
  }
}
