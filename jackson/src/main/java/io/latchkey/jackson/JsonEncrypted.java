package io.latchkey.jackson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a {@code String}, {@code byte[]} or {@link io.latchkey.Secret} property that travels
 * through JSON encrypted: written as a token of the {@link LatchkeyModule}'s key ring, read back as
 * the value. For what a client must store and send back without being able to read or change it (an
 * OAuth state, a resumption cursor that names internal ids). A mapper the module is not registered
 * with refuses to write or read the property (the annotation carries a refusing serializer and
 * deserializer, which the module's own replace), rather than write the plaintext or take a token
 * for the value.
 *
 * <pre>{@code
 * record Page(List<Item> items, @JsonEncrypted("page-cursor") String next) {}
 * record LoginStep(
 *     String provider, @JsonEncrypted(value = "oauth-state", ttl = "PT10M") String state) {}
 * }</pre>
 *
 * <p>The token is bound to {@linkplain #value() its purpose}: by default the declaring class and
 * the property's JSON name, so a token cut from one property and pasted into another, or into a
 * property of the same name in another class, is rejected when read. An explicit purpose binds it
 * to that name alone, for properties that share tokens on purpose. A token is read for as long as
 * the ring holds its key, unless the property has a {@linkplain #ttl() time-to-live}: give one to
 * what must be short-lived, such as an OAuth state.
 *
 * @since 0.1
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT})
@JacksonAnnotationsInside
@JsonSerialize(using = WithoutModule.Writer.class)
@JsonDeserialize(using = WithoutModule.Reader.class)
public @interface JsonEncrypted {

  /**
   * Names what the value is for; its tokens are bound to it (associated data {@code ("json",
   * purpose)}). Give a name that outlives refactoring, since tokens held by clients are read with
   * it.
   *
   * @return the purpose; empty (the default) for the declaring class and the property's JSON name
   *     (associated data {@code ("json", class name, JSON name)}), which a rename or a move changes
   */
  String value() default "";

  /**
   * How long a token is read after it was written, by the clock of the {@link LatchkeyModule}
   * ({@link LatchkeyModule.Builder#clock(java.time.Clock)}): an ISO-8601 duration ({@code PT10M})
   * or whole seconds ({@code 600}), at least one second. An older token, and one written without a
   * time, is rejected as expired. Needs an {@link io.latchkey.crypto.aead.AesGcmKeyRing} (or a
   * {@link io.latchkey.crypto.aead.SwappableAeadKeyRing} holding one), which writes the time into
   * the token whatever its layout.
   *
   * @return the time-to-live; empty (the default) for tokens that do not expire
   * @since 0.2
   */
  String ttl() default "";
}
