package io.latchkey.scan;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the credentials people leak most in a text: cloud keys (AWS, Google Cloud service
 * accounts), source-hosting and chat tokens (GitHub, GitLab, Slack), payment and LLM API keys
 * (Stripe, OpenAI-style and Anthropic keys), JSON Web Tokens, PEM private keys, passwords in
 * database URLs, and high-entropy values assigned to settings named like secrets.
 *
 * <pre>{@code
 * SecretScanner scanner = SecretScanner.defaults();
 * for (Finding f : scanner.scan(text)) {
 *   System.out.println(f.line() + ":" + f.column() + " " + f.rule().id() + " " + f.excerpt());
 * }
 * try (Reader in = Files.newBufferedReader(path)) {
 *   scanner.scan(in, finding -> report.add(finding));  // bounded memory, any size
 * }
 * }</pre>
 *
 * <p>Each rule has keywords (a provider's prefix, or words such as {@code password}); one pass of a
 * multi-pattern automaton over the text finds every keyword, and only the text around each is then
 * validated: the provider's format, its checksum where it defines one (GitHub's CRC32), the entropy
 * of the random part, and exclusions for placeholders ({@code changeme}, {@code xxx}, {@code
 * ${VAR}}, {@code <password>}, documentation examples). Where two findings overlap, the more
 * specific rule's stays. The page {@code docs/scanning.md} describes every rule.
 *
 * <p>A scanner is immutable and safe for any number of threads. Texts of any size are read in
 * windows of 256 Ki characters that overlap by 20 Ki, so memory stays bounded and a credential
 * across a window's edge is found whole.
 *
 * <h2>Security</h2>
 *
 * <p>No finding, exception, log line or {@code toString()} holds a value the scanner found: a
 * {@link Finding} carries a masked excerpt and a fingerprint. Allow-lists hold fingerprints too.
 *
 * @since 0.1
 */
public final class SecretScanner {
  private static final List<Detector> DETECTORS =
      List.of(
          new AwsDetector(),
          new GcpDetector(),
          new TokenDetector(),
          new SlackWebhookDetector(),
          new JwtDetector(),
          new PemDetector(),
          new DatabaseUrlDetector(),
          new AssignmentDetector());

  /**
   * Public examples that documentation and tutorials print, which look real but grant nothing: the
   * token of jwt.io's debugger and the test keys of Stripe's documentation. Held by fingerprint, as
   * any allow-list.
   */
  private static final Set<String> PUBLIC_EXAMPLES =
      Set.of(
          "83aa27e2ba4a8ed696bd388f27693e03", // jwt.io: HS256, "John Doe", iat 1516239022
          "a81d988bbd5559169db234f871540691", // Stripe's documentation: sk_test_4eC39Hq…
          "3c18071b9b065bef8aa946e861b0cd3a"); // Stripe's older documentation: sk_test_BQok…

  private static final SecretScanner DEFAULTS = new SecretScanner(Set.copyOf(Rules.ALL), Set.of());

  private final Set<Rule> enabled;
  private final Set<String> allowed;
  private final Engine engine;

  private SecretScanner(Set<Rule> enabled, Set<String> allowed) {
    this.enabled = enabled;
    this.allowed = allowed;
    Set<String> ignored = new HashSet<>(PUBLIC_EXAMPLES);
    ignored.addAll(allowed);
    this.engine = new Engine(DETECTORS, enabled, ignored);
  }

  /**
   * Returns a scanner with every built-in rule and no allow-list.
   *
   * @return the scanner
   */
  public static SecretScanner defaults() {
    return DEFAULTS;
  }

  /**
   * Lists every built-in rule, in the order reports use.
   *
   * @return the rules
   */
  public static List<Rule> rules() {
    return Rules.ALL;
  }

  /**
   * Returns a copy of this scanner that also ignores the given fingerprints: findings that were
   * judged not to be secrets, such as a test fixture's fake key.
   *
   * @param fingerprints fingerprints as {@link Finding#fingerprint()} gives them
   * @return the scanner
   * @throws IllegalArgumentException if one is not 32 lower-case hex digits (it is not repeated in
   *     the message: a value pasted by mistake must not be printed)
   */
  public SecretScanner withAllowed(Collection<String> fingerprints) {
    Set<String> all = new LinkedHashSet<>(allowed);
    for (String fingerprint : fingerprints) {
      requireNonNull(fingerprint, "fingerprint");
      if (!Fingerprints.isFingerprint(fingerprint)) {
        throw new IllegalArgumentException(
            "not a fingerprint: expected 32 lower-case hex digits (value not shown)");
      }
      all.add(fingerprint);
    }
    return new SecretScanner(enabled, Set.copyOf(all));
  }

  /**
   * Returns a copy of this scanner without some rules.
   *
   * @param ruleIds identifiers of rules, as {@link Rule#id()} gives them
   * @return the scanner
   * @throws IllegalArgumentException if an identifier names no rule
   */
  public SecretScanner withoutRules(Collection<String> ruleIds) {
    Set<Rule> kept = new LinkedHashSet<>(enabled);
    for (String id : ruleIds) {
      Rule rule = rule(requireNonNull(id, "ruleId"));
      kept.remove(rule);
    }
    return new SecretScanner(Set.copyOf(kept), allowed);
  }

  /**
   * Returns the rule with an identifier.
   *
   * @param id the identifier, such as {@code github-token}
   * @return the rule
   * @throws IllegalArgumentException if no rule has it
   */
  public static Rule rule(String id) {
    for (Rule rule : Rules.ALL) {
      if (rule.id().equals(id)) {
        return rule;
      }
    }
    // The identifier given is not repeated: it may be a value pasted in the wrong place.
    throw new IllegalArgumentException(
        "no such rule; the rules are "
            + String.join(", ", Rules.ALL.stream().map(Rule::id).toList()));
  }

  /**
   * Finds the credentials in a text.
   *
   * @param text the text
   * @return the findings, in the order of their offsets
   */
  public List<Finding> scan(CharSequence text) {
    requireNonNull(text, "text");
    List<Finding> found = new ArrayList<>();
    try {
      engine.scan(source(text), text.length(), found::add, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string does not fail to read
    }
    return List.copyOf(found);
  }

  /**
   * Finds the credentials in a character stream, reading it to its end in bounded memory and
   * handing each finding over as soon as it is known.
   *
   * @param in the stream; the caller closes it
   * @param sink receives each finding, in the order of their offsets
   * @return the number of findings
   * @throws IOException if the stream does
   */
  public long scan(Reader in, Consumer<? super Finding> sink) throws IOException {
    requireNonNull(in, "in");
    requireNonNull(sink, "sink");
    return engine.scan(in::read, -1, sink, null);
  }

  /**
   * Finds the credentials in a character stream, as {@link #scan(Reader, Consumer)} does, and
   * returns them.
   *
   * @param in the stream; the caller closes it
   * @return the findings, in the order of their offsets
   * @throws IOException if the stream does
   */
  public List<Finding> scan(Reader in) throws IOException {
    List<Finding> found = new ArrayList<>();
    scan(in, found::add);
    return List.copyOf(found);
  }

  /** Every stretch of a text that a finding covers, overlaps and all, for {@link Sanitizer}. */
  void spans(CharSequence text, Engine.Spans spans) {
    try {
      engine.scan(source(text), text.length(), null, spans);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Engine.Source source(CharSequence text) {
    int[] position = {0};
    return (buffer, offset, length) -> {
      int from = position[0];
      int to = Math.min(text.length(), from + length);
      if (from >= to) {
        return -1;
      }
      if (text instanceof String s) {
        s.getChars(from, to, buffer, offset);
      } else {
        for (int i = from; i < to; i++) {
          buffer[offset + i - from] = text.charAt(i);
        }
      }
      position[0] = to;
      return to - from;
    };
  }

  /**
   * Returns the number of rules and of allowed fingerprints, such as {@code SecretScanner[rules=15,
   * allowed=2]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SecretScanner[rules=" + enabled.size() + ", allowed=" + allowed.size() + "]";
  }
}
