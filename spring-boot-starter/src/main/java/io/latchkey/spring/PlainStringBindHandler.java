package io.latchkey.spring;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.core.ResolvableType;

/**
 * Refuses to bind a property written as a reference to a field that would hold its value as text,
 * unless {@code latchkey.allow-plain-string-binding} names it: a {@code String}, any other {@code
 * CharSequence}, {@code char[]} or {@code Character[]}, or an array, collection, {@code Optional}
 * or map value of text or of {@code Object} (Spring converts a value into such an element as a
 * string), or any other type a {@code String} is ({@code Serializable}, {@code Comparable}). A
 * secret held as text prints itself in every {@code toString()}, log line and actuator view. {@code
 * Secret} fields are always allowed, and a field of type {@code Object} (a map's {@code Object}
 * values included) receives a {@code Secret}.
 *
 * <p>It also stands in front of Boot's validation: a validator that rejects a value bound from a
 * reference (a {@code URI} that is not {@code https}) makes Boot quote the bound value in its
 * exception and failure report. Such a failure is reported again by property, reference and reason
 * ({@link ReferenceValidationException}), each reason with the bound values masked.
 */
final class PlainStringBindHandler extends AbstractBindHandler {
  private final LatchkeySettings settings;
  // What this binding bound from references: what a validation failure must not quote. The handler
  // lives for one binding.
  private final Map<ConfigurationPropertyName, Bound> fromReferences = new LinkedHashMap<>();

  private record Bound(ResolvedValue value, Object result) {}

  PlainStringBindHandler(BindHandler parent, LatchkeySettings settings) {
    super(parent);
    this.settings = settings;
  }

  /** Installs the handler in front of every {@code @ConfigurationProperties} binding. */
  static ConfigurationPropertiesBindHandlerAdvisor advisor(LatchkeySettings settings) {
    return parent -> new PlainStringBindHandler(parent, settings);
  }

  @Override
  public Object onSuccess(
      ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
    ConfigurationProperty property = context.getConfigurationProperty();
    if (property != null
        && property.getValue() instanceof ResolvedValue value
        && holdsText(target.getType())
        && !settings.plainStringAllowed(value.property().name())) {
      throw new PlainStringBindingException(value.property(), target.getType());
    }
    // An Object target takes the value unconverted, which would leave the starter's internal
    // stand-in in the field: give it what a reference is.
    Object bound = result instanceof ResolvedValue value ? value.secret() : result;
    if (property != null && property.getValue() instanceof ResolvedValue value) {
      fromReferences.put(name, new Bound(value, bound));
    }
    return super.onSuccess(name, target, context, bound);
  }

  @Override
  public void onFinish(
      ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
      throws Exception {
    try {
      super.onFinish(name, target, context, result);
    } catch (BindValidationException e) {
      throw masked(e);
    }
  }

  @Override
  public Object onFailure(
      ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
      throws Exception {
    try {
      return super.onFailure(name, target, context, error);
    } catch (BindValidationException e) {
      throw masked(e);
    }
  }

  /**
   * Boot's validation failure as it is when nothing in it was bound from a reference; otherwise the
   * same errors with every bound value masked, and without Boot's exception, whose message quotes
   * each rejected value.
   */
  private RuntimeException masked(BindValidationException e) {
    if (fromReferences.isEmpty()) {
      return e;
    }
    Redactor.Builder values = Redactor.builder().minLength(Redactor.SMALLEST_MIN_LENGTH);
    List<Secret> revealed = new ArrayList<>();
    try {
      fromReferences.forEach(
          (name, bound) -> {
            String label = name.toString();
            try {
              Secret secret = bound.value().secret();
              revealed.add(secret);
              values.value(label, secret);
            } catch (RuntimeException unavailable) {
              // Resolved a moment ago for the binding; without it now, the bound result's text
              // below is what a message could quote.
            }
            if (bound.result() != null && !(bound.result() instanceof Secret)) {
              Secret text = Secret.of(String.valueOf(bound.result()));
              revealed.add(text);
              values.value(label, text);
            }
          });
      Redactor redactor = values.build();
      List<ReferenceValidationException.Rejection> errors = new ArrayList<>();
      ConfigurationPropertyName target = e.getValidationErrors().getName();
      for (org.springframework.validation.ObjectError error :
          e.getValidationErrors().getAllErrors()) {
        String reason =
            redactor.redact(
                error.getDefaultMessage() != null
                    ? error.getDefaultMessage()
                    : String.valueOf(error.getCode()));
        if (error instanceof org.springframework.validation.FieldError field) {
          ConfigurationPropertyName property =
              target.append(DataObjectPropertyName.toDashedForm(field.getField()));
          Bound bound = fromReferences.get(property);
          errors.add(
              bound != null
                  ? ReferenceValidationException.Rejection.ofReference(
                      bound.value().property(), reason)
                  : ReferenceValidationException.Rejection.ofValue(
                      property.toString(),
                      field.getRejectedValue() == null
                          ? null
                          : redactor.redact(String.valueOf(field.getRejectedValue())),
                      origin(field),
                      reason));
        } else {
          errors.add(
              ReferenceValidationException.Rejection.ofValue(
                  target.toString(), null, origin(error), reason));
        }
      }
      return new ReferenceValidationException(target.toString(), errors);
    } finally {
      revealed.forEach(Secret::wipe);
    }
  }

  private static String origin(Object error) {
    Origin origin = Origin.from(error);
    return origin == null ? null : origin.toString();
  }

  /** Tells whether a value bound to {@code type} would be held as text. */
  static boolean holdsText(ResolvableType type) {
    Class<?> raw = type.resolve(Object.class);
    if (isText(raw)) {
      return true;
    }
    ResolvableType element = null;
    if (type.isArray()) {
      element = type.getComponentType();
    } else if (Collection.class.isAssignableFrom(raw) || Optional.class.isAssignableFrom(raw)) {
      element = type.getGeneric(0);
    } else if (Map.class.isAssignableFrom(raw)) {
      element = type.getGeneric(1);
    }
    if (element == null) {
      return false;
    }
    // An element of unknown type (Object, a raw List) is converted from the text: it holds text.
    Class<?> elementType = element.resolve(Object.class);
    return elementType == Object.class || holdsText(element);
  }

  private static boolean isText(Class<?> type) {
    // Serializable, Comparable and the like take the String the converter gives them.
    return (type != Object.class && type.isAssignableFrom(String.class))
        || CharSequence.class.isAssignableFrom(type)
        || type == char[].class
        || type == Character[].class;
  }
}
