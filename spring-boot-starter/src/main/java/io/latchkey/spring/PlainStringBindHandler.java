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
 * <p>It also stands in front of Boot's reports of a binding that fails: a validator that rejects a
 * value bound from a reference (a {@code URI} that is not {@code https}) makes Boot quote the bound
 * value, and a record's constructor or a setter that throws is quoted with its message, which often
 * holds its argument. Such a failure is reported again by property, reference and reason ({@link
 * ReferenceBindException}), without Boot's exception: a reason that shows a bound value, whole or
 * in part ({@link Traces}), is replaced by its code or exception class.
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
    } catch (ReferenceBindException e) {
      throw e;
    } catch (Exception e) {
      // A constructor, a setter or a converter of the application's that threw while this binding
      // held values from references: its message, or a cause's, may quote one of them.
      throw maskedFailure(name, e);
    }
  }

  private Exception maskedFailure(ConfigurationPropertyName name, Exception e) {
    List<ReferenceBindException.Rejection> rejections = new ArrayList<>();
    List<Secret> revealed = new ArrayList<>();
    // The failure's texts, read and lowered once for every value bound under its name.
    List<String> printed = new ArrayList<>();
    for (String text : FailureTexts.of(e)) {
      printed.add(Traces.lower(text));
    }
    try {
      fromReferences.forEach(
          (bound, value) -> {
            if ((name.equals(bound) || name.isAncestorOf(bound))
                && shows(printed, texts(value, revealed))) {
              rejections.add(
                  ReferenceBindException.Rejection.ofReference(
                      value.value().property(),
                      exceptionClasses(e)
                          + " (its message is not shown: it quotes a value bound from a reference,"
                          + " whole or in part)"));
            }
          });
    } finally {
      revealed.forEach(Secret::wipe);
    }
    return rejections.isEmpty() ? e : new ReferenceBindException(name.toString(), rejections);
  }

  /** Whether any of the lowered texts shows any of the bound texts, whole or in part. */
  private static boolean shows(List<String> lowered, List<String> bound) {
    for (String text : lowered) {
      for (String value : bound) {
        if (Traces.showsInLower(text, value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The texts a message could show of a bound value: the secret's, and the bound result's. */
  private static List<String> texts(Bound bound, List<Secret> revealed) {
    List<String> texts = new ArrayList<>();
    try {
      Secret secret = bound.value().secret();
      revealed.add(secret);
      texts.add(secret.reveal());
    } catch (RuntimeException unavailable) {
      // Without the secret now, the bound result's text is what a message could show.
    }
    if (bound.result() != null && !(bound.result() instanceof Secret)) {
      texts.add(String.valueOf(bound.result()));
    }
    return texts;
  }

  /** The exception's class and its causes', outermost first: what a hidden message leaves. */
  private static String exceptionClasses(Throwable e) {
    Throwable root = FailureTexts.root(e);
    StringBuilder out = new StringBuilder(e.getClass().getName());
    for (Throwable t = e; t != root; ) {
      t = t.getCause();
      out.append(" caused by ").append(t.getClass().getName());
    }
    return out.toString();
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
    List<String> texts = new ArrayList<>();
    try {
      fromReferences.forEach(
          (name, bound) -> {
            String label = name.toString();
            for (String text : texts(bound, revealed)) {
              texts.add(text);
              Secret masked = Secret.of(text);
              revealed.add(masked);
              values.value(label, masked);
            }
          });
      Redactor redactor = values.build();
      List<ReferenceBindException.Rejection> errors = new ArrayList<>();
      ConfigurationPropertyName target = e.getValidationErrors().getName();
      // Boot's own report stands unless an error concerns a value bound from a reference, or
      // shows one. An error on a property bound from a reference has its reason checked for any
      // 8 characters of a value; any other error for a longer run (Traces.CLEAR_WINDOW), so that
      // an unrelated value that shares a URL's scheme and host with a secret is not hidden.
      boolean concernsReference = false;
      for (org.springframework.validation.ObjectError error :
          e.getValidationErrors().getAllErrors()) {
        String message =
            error.getDefaultMessage() != null
                ? error.getDefaultMessage()
                : String.valueOf(error.getCode());
        String reason = redactor.redact(message);
        concernsReference |= !reason.equals(message);
        if (error instanceof org.springframework.validation.FieldError field) {
          ConfigurationPropertyName property =
              target.append(DataObjectPropertyName.toDashedForm(field.getField()));
          Bound bound = boundAt(property);
          if (bound != null) {
            concernsReference = true;
            errors.add(
                ReferenceBindException.Rejection.ofReference(
                    bound.value().property(), partsHidden(reason, texts, error, Traces.WINDOW)));
          } else {
            String rejected =
                field.getRejectedValue() == null ? null : String.valueOf(field.getRejectedValue());
            String shown = rejected == null ? null : redactor.redact(rejected);
            if (shown != null
                && !shown.equals(partsHidden(shown, texts, error, Traces.CLEAR_WINDOW))) {
              shown = "(not shown: it holds a part of a value bound from a reference)";
            }
            String hidden = partsHidden(reason, texts, error, Traces.CLEAR_WINDOW);
            concernsReference |=
                (shown != null && !shown.equals(rejected)) || !hidden.equals(reason);
            errors.add(
                ReferenceBindException.Rejection.ofValue(
                    property.toString(), shown, origin(field), hidden));
          }
        } else {
          String hidden = partsHidden(reason, texts, error, Traces.CLEAR_WINDOW);
          concernsReference |= !hidden.equals(reason);
          errors.add(
              ReferenceBindException.Rejection.ofValue(
                  target.toString(), null, origin(error), hidden));
        }
      }
      if (!concernsReference) {
        return e;
      }
      return new ReferenceBindException(target.toString(), errors);
    } finally {
      revealed.forEach(Secret::wipe);
    }
  }

  /**
   * The value this binding bound from a reference at {@code property}, or at the nearest property
   * above it (a validator may reject a path inside the bound value, or one element of a list bound
   * from one reference); null if none.
   */
  private Bound boundAt(ConfigurationPropertyName property) {
    Bound exact = fromReferences.get(property);
    if (exact != null) {
      return exact;
    }
    Bound nearest = null;
    ConfigurationPropertyName nearestName = null;
    for (Map.Entry<ConfigurationPropertyName, Bound> entry : fromReferences.entrySet()) {
      if (entry.getKey().isAncestorOf(property)
          && (nearestName == null || nearestName.isAncestorOf(entry.getKey()))) {
        nearest = entry.getValue();
        nearestName = entry.getKey();
      }
    }
    return nearest;
  }

  /**
   * The reason as it is, or its code where it still shows {@code window} characters in a row of a
   * bound value.
   */
  private static String partsHidden(
      String reason,
      List<String> texts,
      org.springframework.validation.ObjectError error,
      int window) {
    String lower = Traces.lower(reason);
    for (String text : texts) {
      if (Traces.showsInLower(lower, text, window)) {
        // Masked whole, the value may still show in part (a URL's user info, a host).
        return "rejected ("
            + error.getCode()
            + "; the validator's message is not shown: it quotes a value bound from a reference,"
            + " whole or in part)";
      }
    }
    return reason;
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
