package io.latchkey.spring;

import io.latchkey.LatchkeyException;
import org.springframework.core.ResolvableType;

/**
 * A property written as a reference was about to be bound to a plain {@code String}, or to another
 * type that holds it as text (a {@code List<String>}, a {@code String[]}). Names the property,
 * where it is written, the reference and the type; never the value.
 */
final class PlainStringBindingException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  private final transient ReferenceProperty property;
  private final String type;

  PlainStringBindingException(ReferenceProperty property, ResolvableType target) {
    super(
        "property "
            + property.described()
            + " is the secret reference "
            + property.ref()
            + ", and a field of type "
            + target
            + " would hold its value in the clear");
    this.property = property;
    this.type = target.toString();
  }

  ReferenceProperty property() {
    return property;
  }

  /**
   * The field's type, such as {@code java.lang.String} or {@code java.util.List<java.lang.String>}.
   */
  String type() {
    return type;
  }
}
