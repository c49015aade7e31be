package io.latchkey.spring;

import io.latchkey.LatchkeyException;

/**
 * A property written as a reference was about to be bound to a plain {@code String}. Names the
 * property, where it is written and the reference; never the value.
 */
final class PlainStringBindingException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  private final transient ReferenceProperty property;

  PlainStringBindingException(ReferenceProperty property) {
    super(
        "property "
            + property.described()
            + " is the secret reference "
            + property.ref()
            + ", and a String field would hold its value in the clear");
    this.property = property;
  }

  ReferenceProperty property() {
    return property;
  }
}
