package io.latchkey.crypto.apikey;

import io.latchkey.ConfigException.Problem;
import java.util.List;

/**
 * The builder's argument errors, each problem's name and reason kept apart, so that {@link
 * ApiKeyVerifier#fromEnvironment(String, java.util.Map, java.time.Clock)} reports them under the
 * variables the values came from without reading them back out of a message. Callers of the builder
 * see an {@link IllegalArgumentException} that lists them.
 */
final class RejectedArguments extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  RejectedArguments(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  RejectedArguments(String argument, String reason) {
    this(List.of(new Problem(argument, reason)));
  }

  /** The problems, each named by the argument (or variable) it concerns. */
  List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    if (problems.size() == 1) {
      return line(problems.get(0));
    }
    StringBuilder sb = new StringBuilder().append(problems.size()).append(" problems:");
    problems.forEach(p -> sb.append("\n  - ").append(line(p)));
    return sb.toString();
  }

  private static String line(Problem p) {
    return p.setting() + " " + p.reason();
  }
}
