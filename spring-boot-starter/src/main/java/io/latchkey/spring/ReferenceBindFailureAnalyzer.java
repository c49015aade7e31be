package io.latchkey.spring;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a validation failure of values bound from references in Boot's own layout ("Binding to
 * target … failed", then property, value, origin and reason per error), with the reference where
 * Boot would print the value.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ReferenceBindFailureAnalyzer extends AbstractFailureAnalyzer<ReferenceBindException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ReferenceBindException cause) {
    BindException bind = findCause(rootFailure, BindException.class);
    StringBuilder description =
        new StringBuilder(
            "Binding to target "
                + (bind == null ? cause.target() : bind.getTarget().getType())
                + " failed:\n");
    cause.errors().forEach(e -> description.append(e.describe()));
    return new FailureAnalysis(
        description.toString(),
        "Update your application's configuration, or the secret the reference names.",
        cause);
  }
}
