package io.latchkey.jackson;

/**
 * What a {@link JsonEncrypted} property is written and read with by a mapper that {@link
 * LatchkeyModule} is not registered with (a mapper of a library's own, the one behind a {@code
 * JsonNode}'s {@code toString()}): refusal, naming the module. Without it such a mapper would write
 * the plaintext where a token belongs, and read a token as if it were the value. The module's own
 * serializer and deserializer take precedence wherever it is registered.
 */
final class WithoutModule {
  private WithoutModule() {}

  static final String REFUSAL =
      "a @JsonEncrypted property is written and read only by a mapper with LatchkeyModule"
          + " registered (and a key ring given to it)";

  /** Refuses to write. */
  static final class Writer extends Refusing {
    /** Created by Jackson, from the annotation. */
    Writer() {
      super(REFUSAL, null);
    }
  }

  /** Refuses to read, without quoting what it was given. */
  static final class Reader extends Refusing.Reader {
    /** Created by Jackson, from the annotation. */
    Reader() {
      super(REFUSAL, null);
    }
  }
}
