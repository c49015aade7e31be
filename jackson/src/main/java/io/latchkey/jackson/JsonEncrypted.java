package io.latchkey.jackson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a {@code String}, {@code byte[]} or {@link io.latchkey.Secret} property that travels
 * through JSON encrypted: written as a token of the {@link LatchkeyModule}'s key ring, read back as
 * the value. For what a client must store and send back without being able to read or change it (an
 * OAuth state, a resumption cursor that names internal ids).
 *
 * <pre>{@code
 * record Page(List<Item> items, @JsonEncrypted("page-cursor") String next) {}
 * }</pre>
 *
 * <p>The token is bound to {@linkplain #value() its purpose}: a token cut from one property and
 * pasted into another with a different purpose is rejected when read.
 *
 * @since 0.1
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT})
public @interface JsonEncrypted {

  /**
   * Names what the value is for; its tokens are bound to it (associated data {@code ("json",
   * purpose)}). Give a name that outlives refactoring, since tokens held by clients are read with
   * it.
   *
   * @return the purpose; empty (the default) for the property's JSON name
   */
  String value() default "";
}
