package io.latchkey.spring;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a secret reference bound to a plain {@code String} (or another type that holds it as
 * text): the property, where it is written, the reference and the class it was bound into, with the
 * two ways out. Runs before Boot's own bind failure analysis.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class PlainStringBindingFailureAnalyzer
    extends AbstractFailureAnalyzer<PlainStringBindingException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, PlainStringBindingException cause) {
    ReferenceProperty property = cause.property();
    BindException bind = findCause(rootFailure, BindException.class);
    String into =
        bind == null
            ? ""
            : " while binding " + bind.getName() + " of " + bind.getTarget().getType();
    return new FailureAnalysis(
        "Property "
            + property.name()
            + " ("
            + property.source()
            + ") is the secret reference "
            + property.ref()
            + (cause.type().equals(String.class.getName())
                ? ", and is bound to a plain String field"
                : ", and is bound to a field of type " + cause.type() + ", which holds it as text")
            + into
            + ". A String holds the secret in the clear: it prints itself in toString(), log lines"
            + " and actuator views.",
        "Declare the field as io.latchkey.Secret (its toString() is masked; reveal() gives the"
            + " value where it is used), or, if the field cannot change, allow it explicitly:"
            + " latchkey.allow-plain-string-binding=spring.*,"
            + property.name()
            + " (the list replaces the default, spring.*).",
        cause);
  }
}
