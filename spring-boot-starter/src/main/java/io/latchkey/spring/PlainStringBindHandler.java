package io.latchkey.spring;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Refuses to bind a property written as a reference to a plain {@code String} (or {@code
 * CharSequence}, {@code char[]}) field of a {@code @ConfigurationProperties} class, unless {@code
 * latchkey.allow-plain-string-binding} names it: a secret in a {@code String} prints itself in
 * every {@code toString()}, log line and actuator view. {@code Secret} fields are always allowed.
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
        && isPlainText(target.getType().resolve(Object.class))
        && !settings.plainStringAllowed(value.property().name())) {
      throw new PlainStringBindingException(value.property());
    }
    return super.onSuccess(name, target, context, result);
  }

  private static boolean isPlainText(Class<?> type) {
    return type == String.class || type == CharSequence.class || type == char[].class;
  }
}
