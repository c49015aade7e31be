package io.latchkey.spring;

import io.latchkey.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns a {@link ConfigException} anywhere in a start-up failure (references that did not resolve,
 * a schema's problems, a missing provider) into Spring Boot's failure report: every problem, each
 * naming the property or setting and where it comes from, never a value.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class LatchkeyFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    int count = cause.problems().size();
    StringBuilder description =
        new StringBuilder("Latchkey found ")
            .append(count)
            .append(count == 1 ? " problem" : " problems")
            .append(" in the configuration:\n");
    for (ConfigException.Problem problem : cause.problems()) {
      description
          .append("\n    - ")
          .append(problem.setting())
          .append(": ")
          .append(problem.reason());
    }
    return new FailureAnalysis(
        description.toString(),
        "Fix every problem listed (names and sources are shown, secret values never are) and"
            + " start again. Secret references are written ref+REFERENCE, such as"
            + " ref+aws:prod/db#password; the providers read their own settings from the process"
            + " environment and latchkey.environment.*.",
        cause);
  }
}
