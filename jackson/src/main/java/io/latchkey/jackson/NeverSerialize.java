package io.latchkey.jackson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a property that is never written to JSON, whatever else says it should be:
 * {@code @JsonProperty} on its getter, field visibility {@code ANY}, a mix-in. Reading it from JSON
 * is unaffected, so a request may carry a password that no response ever shows.
 *
 * <pre>{@code
 * record Connector(String name, @NeverSerialize String password) {}
 * }</pre>
 *
 * <p>Enforced by {@link LatchkeyModule}: the property is dropped from every object it belongs to
 * when the module is registered. Without it, the annotation still carries Jackson's
 * {@code @JsonProperty(access = WRITE_ONLY)}, which keeps a mapper of its own (the one behind a
 * {@code JsonNode}'s {@code toString()}, say) from writing the property where nothing overrides
 * that. It is enough on one of the property's field, getter, setter or constructor parameter; an
 * accessor under another name (a {@code getMaskedPassword()} that returns the field) is another
 * property, and needs its own. The module reads the mark from the class's own members as well as
 * from Jackson's view of them, so a mapper that does not see a private field ({@code
 * MapperFeature.INFER_PROPERTY_MUTATORS} disabled) still drops the property; a mapper that reads no
 * annotations ({@code MapperFeature.USE_ANNOTATIONS} disabled) refuses to write the class at all.
 *
 * @since 0.1
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT})
@JacksonAnnotationsInside
@JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
public @interface NeverSerialize {}
