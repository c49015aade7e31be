package io.latchkey.scan;

import java.util.Objects;

/**
 * One kind of credential the {@link SecretScanner} looks for, such as {@code github-token}: a
 * stable identifier that reports, allow-lists and SARIF output use, and a description for people.
 *
 * <p>The rules are built in; {@link SecretScanner#rules()} lists them and {@code docs/scanning.md}
 * describes the format each recognises and how it is validated.
 *
 * @since 0.1
 */
public final class Rule {
  private final String id;
  private final String description;
  private final int priority;

  Rule(String id, String description, int priority) {
    this.id = id;
    this.description = description;
    this.priority = priority;
  }

  /**
   * Returns the identifier, lower-case words joined by dashes, such as {@code aws-access-key-id}.
   *
   * @return the identifier
   */
  public String id() {
    return id;
  }

  /**
   * Returns what the rule finds, in a sentence, such as {@code GitHub token (ghp_, gho_, ghu_,
   * ghs_, ghr_) with a valid checksum}.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /** Where findings of two rules overlap, the one of higher priority (the more specific) stays. */
  int priority() {
    return priority;
  }

  /**
   * Rules are equal when their identifiers are.
   *
   * @param other another object
   * @return whether it is a rule with the same identifier
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Rule r && r.id.equals(id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id);
  }

  /**
   * Returns the identifier.
   *
   * @return the identifier
   */
  @Override
  public String toString() {
    return id;
  }
}
