package io.latchkey;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;

/**
 * The configuration is unusable; the exception lists every problem found, not just the first.
 *
 * <p>Each {@link Problem} names a setting (an environment variable, a file and line, a key list
 * entry) and says what is wrong and what was expected. Fix them all and start again. The message
 * lists the first 200 problems and counts the rest; {@link #problems()} holds every one.
 *
 * <h2>Security</h2>
 *
 * <p>Problems never quote a secret value. Where a value helps, a caller may describe its shape ("12
 * characters, expected 44"), never its content.
 *
 * @since 0.1
 */
public final class ConfigException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  /**
   * One thing wrong with one setting.
   *
   * @param setting where the problem is: a variable name, {@code NAME_PREVIOUS entry 2}, {@code
   *     keys.txt line 3}
   * @param reason what is wrong and what was expected, without the value
   */
  public record Problem(String setting, String reason) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Validates the components.
     *
     * @param setting where the problem is
     * @param reason what is wrong
     */
    public Problem {
      requireNonNull(setting, "setting");
      requireNonNull(reason, "reason");
    }

    /** Returns {@code setting: reason}. */
    @Override
    public String toString() {
      return setting + ": " + reason;
    }
  }

  /** The most problems the message lists; {@link #problems()} holds them all. */
  static final int MAX_LISTED = 200;

  private final List<Problem> problems;

  /**
   * Creates an exception for one problem.
   *
   * @param setting where the problem is
   * @param reason what is wrong, without the value
   */
  public ConfigException(String setting, String reason) {
    this(List.of(new Problem(setting, reason)));
  }

  /**
   * Creates an exception listing several problems.
   *
   * @param problems every problem found; at least one
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public ConfigException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  private static String describe(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration exception needs at least one problem");
    }
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.get(0);
    }
    StringBuilder sb =
        new StringBuilder("invalid configuration (").append(problems.size()).append(" problems):");
    // A bounded message: a file of a million bad lines must not make a message of megabytes.
    // Sources cap their own lists too (a .env file lists 100 and counts the rest), so 200 leaves
    // room for those summaries.
    int listed = Math.min(problems.size(), MAX_LISTED);
    for (int i = 0; i < listed; i++) {
      sb.append("\n  - ").append(problems.get(i));
    }
    if (listed < problems.size()) {
      sb.append("\n  - and ")
          .append(problems.size() - listed)
          .append(" more (every one is in problems())");
    }
    return sb.toString();
  }

  /**
   * Returns every problem found, in the order they were found.
   *
   * @return an unmodifiable, non-empty list
   */
  public List<Problem> problems() {
    return problems;
  }
}
