package io.latchkey.spring;

import io.latchkey.LatchkeyException;
import java.util.List;

/**
 * A {@code @ConfigurationProperties} class's validation rejected what it was bound, and some of it
 * came from secret references: Boot's own validation failure, reported without the values Boot
 * would quote. Each error names the property and, for a reference, where it is written and the
 * reference; its reason has every value bound from a reference masked.
 */
final class ReferenceBindException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  /**
   * One validation error.
   *
   * @param property the property's name, or the bound object's prefix for an error on the whole
   * @param reference the property bound from a reference, or {@code null}
   * @param value the rejected value of a property not bound from a reference (masked where it holds
   *     a referenced value), or {@code null}
   * @param origin where a property not bound from a reference is written, if Boot knows, or {@code
   *     null}
   * @param reason the validator's message, masked
   */
  record Rejection(
      String property, ReferenceProperty reference, String value, String origin, String reason) {
    static Rejection ofReference(ReferenceProperty reference, String reason) {
      return new Rejection(reference.name(), reference, null, null, reason);
    }

    static Rejection ofValue(String property, String value, String origin, String reason) {
      return new Rejection(property, null, value, origin, reason);
    }

    /** Returns the lines of Boot's report for this error, in its layout. */
    String describe() {
      StringBuilder out = new StringBuilder();
      out.append("\n    Property: ").append(property);
      if (reference != null) {
        out.append("\n    Value: the secret reference ").append(reference.ref());
        out.append("\n    Origin: ").append(reference.source());
      } else {
        if (value != null) {
          out.append("\n    Value: \"").append(value).append('"');
        }
        if (origin != null) {
          out.append("\n    Origin: ").append(origin);
        }
      }
      out.append("\n    Reason: ").append(reason).append('\n');
      return out.toString();
    }
  }

  private final String target;
  private final transient List<Rejection> errors;

  ReferenceBindException(String target, List<Rejection> errors) {
    super(message(target, errors));
    this.target = target;
    this.errors = List.copyOf(errors);
  }

  private static String message(String target, List<Rejection> errors) {
    StringBuilder out = new StringBuilder("binding validation errors on " + target + ":");
    for (Rejection e : errors) {
      out.append(' ')
          .append(e.property())
          .append(e.reference() == null ? "" : " (" + e.reference().ref() + ")")
          .append(": ")
          .append(e.reason())
          .append(';');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  /** The bound object's prefix. */
  String target() {
    return target;
  }

  List<Rejection> errors() {
    return errors;
  }
}
