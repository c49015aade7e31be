package io.latchkey.spring;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * Refuses to bind a property written as a reference to a field that would hold its value as text,
 * unless {@code latchkey.allow-plain-string-binding} names it: a {@code String}, any other {@code
 * CharSequence}, {@code char[]} or {@code Character[]}, or an array, collection, {@code Optional}
 * or map value of text or of {@code Object} (Spring converts a value into such an element as a
 * string). A secret held as text prints itself in every {@code toString()}, log line and actuator
 * view. {@code Secret} fields are always allowed, and a field of type {@code Object} (a map's
 * {@code Object} values included) receives a {@code Secret}.
 */
final class PlainStringBindHandler extends AbstractBindHandler {
  private final LatchkeySettings settings;

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
    return super.onSuccess(name, target, context, bound);
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
    return CharSequence.class.isAssignableFrom(type)
        || type == char[].class
        || type == Character[].class;
  }
}
