package io.latchkey.scan;

import static java.util.Objects.requireNonNull;

import io.latchkey.redact.Redactor;
import java.util.ArrayList;
import java.util.List;

/**
 * Cleans text that leaves the process (a prompt sent to an LLM, a webhook's payload, an error
 * report): every value the process loaded is masked by a {@link Redactor}, and every credential a
 * {@link SecretScanner} finds is replaced with {@code [REDACTED:rule-id]}.
 *
 * <pre>{@code
 * Sanitizer sanitizer = Sanitizer.of(Redactor.of(config));
 * String prompt = sanitizer.clean(userText + "\n" + logExcerpt);
 * }</pre>
 *
 * <p>The redactor knows the exact values, in any encoding, with no false positives; the scanner
 * knows the shapes of credentials the process never loaded (a key a user pasted, a token in a stack
 * trace). Where a finding overlaps another, the masks join, so nothing of either shows. A sanitizer
 * is immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Sanitizer {
  private final SecretScanner scanner;
  private final Redactor redactor;

  private Sanitizer(SecretScanner scanner, Redactor redactor) {
    this.scanner = scanner;
    this.redactor = redactor;
  }

  /**
   * Returns a sanitizer with the default scanner and no redactor.
   *
   * @return the sanitizer
   */
  public static Sanitizer defaults() {
    return new Sanitizer(SecretScanner.defaults(), null);
  }

  /**
   * Returns a sanitizer with the default scanner and a redactor of the process's values.
   *
   * @param redactor the redactor; the caller keeps and closes it
   * @return the sanitizer
   */
  public static Sanitizer of(Redactor redactor) {
    return new Sanitizer(SecretScanner.defaults(), requireNonNull(redactor, "redactor"));
  }

  /**
   * Returns a sanitizer with a scanner of one's choice and no redactor.
   *
   * @param scanner the scanner
   * @return the sanitizer
   */
  public static Sanitizer of(SecretScanner scanner) {
    return new Sanitizer(requireNonNull(scanner, "scanner"), null);
  }

  /**
   * Returns a sanitizer with a scanner and a redactor of one's choice.
   *
   * @param scanner the scanner
   * @param redactor the redactor; the caller keeps and closes it
   * @return the sanitizer
   */
  public static Sanitizer of(SecretScanner scanner, Redactor redactor) {
    return new Sanitizer(requireNonNull(scanner, "scanner"), requireNonNull(redactor, "redactor"));
  }

  /**
   * Returns the text with every known value and every finding masked.
   *
   * @param text the text
   * @return the cleaned text; equal to {@code text.toString()} when there was nothing to mask
   */
  public String clean(CharSequence text) {
    requireNonNull(text, "text");
    String redacted = redactor == null ? text.toString() : redactor.redact(text);
    List<long[]> spans = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    scanner.spans(
        redacted,
        (start, end, rule) -> {
          int last = spans.size() - 1;
          // Spans come in order of their starts; one that overlaps the last joins it.
          if (last >= 0 && start < spans.get(last)[1]) {
            spans.get(last)[1] = Math.max(spans.get(last)[1], end);
            if (rule.priority() > rules.get(last).priority()) {
              rules.set(last, rule);
            }
          } else {
            spans.add(new long[] {start, end});
            rules.add(rule);
          }
        });
    if (spans.isEmpty()) {
      return redacted;
    }
    StringBuilder out = new StringBuilder(redacted.length());
    int at = 0;
    for (int i = 0; i < spans.size(); i++) {
      out.append(redacted, at, (int) spans.get(i)[0]);
      out.append("[REDACTED:").append(rules.get(i).id()).append(']');
      at = (int) spans.get(i)[1];
    }
    return out.append(redacted, at, redacted.length()).toString();
  }

  /**
   * Returns whether a redactor is used, such as {@code Sanitizer[scanner=SecretScanner[rules=15,
   * allowed=0], redactor=yes]}; never a value.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Sanitizer[scanner=" + scanner + ", redactor=" + (redactor == null ? "no" : "yes") + "]";
  }
}
