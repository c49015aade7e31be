package io.latchkey.spring;

import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.resolver.ReferenceSyntax;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The application's schema reads its settings from Spring's environment through this source: a
 * setting {@code DATABASE_URL} is the property {@code DATABASE_URL} as written, or the property
 * Spring's relaxed binding names so ({@code database.url}, {@code database-url} under {@code
 * database}), from the first source that has either.
 *
 * <p>It returns raw values, references unresolved (a {@link
 * io.latchkey.resolver.ResolvingConfigSource} around it resolves them, so the report shows their
 * provider), and plain values with Spring's placeholders resolved. The origin says which kind of
 * source: {@code env} for the environment, {@code file} with the file and line for configuration
 * files, {@code override} with the source's name for the rest (system properties, the command line,
 * test properties).
 *
 * <p>A plain value whose placeholders reach a property written as a reference ({@code
 * x-${partner.token}}) holds that secret once expanded: its origin is then {@link
 * Origin.Kind#PROVIDER}, naming the references, which the schema treats as a secret's value (never
 * quoted in a problem, masked in the report), whatever the setting is declared as.
 */
final class SpringConfigSource implements ConfigSource {
  private final ConfigurableEnvironment environment;

  SpringConfigSource(ConfigurableEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    ConfigurationPropertyName relaxed = ConfigurationPropertyName.adapt(name, '_');
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof ReferencePropertySource
          || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        continue;
      }
      Object raw = source.getProperty(name);
      org.springframework.boot.origin.Origin origin = null;
      if (raw != null) {
        origin = OriginLookup.getOrigin(source, name);
      } else if (!relaxed.isEmpty()) {
        ConfigurationPropertySource adapted = ConfigurationPropertySource.from(source);
        ConfigurationProperty property =
            adapted == null ? null : adapted.getConfigurationProperty(relaxed);
        if (property != null) {
          raw = property.getValue();
          origin = property.getOrigin();
        }
      }
      if (raw != null) {
        String text = raw.toString();
        Origin found = origin(source, origin);
        if (!ReferenceSyntax.looksLikeReference(text)) {
          String template = text;
          List<ReferenceProperty> reached = new ArrayList<>();
          text =
              ResolvedValue.recordingReads(
                  reached, () -> environment.resolvePlaceholders(template));
          if (!reached.isEmpty()) {
            found = throughPlaceholder(reached, found);
          }
        }
        return Optional.of(new ConfigValue(name, text, found));
      }
    }
    return Optional.empty();
  }

  private static Origin throughPlaceholder(List<ReferenceProperty> reached, Origin written) {
    Set<String> refs = new LinkedHashSet<>();
    for (ReferenceProperty p : reached) {
      refs.add(p.ref().toString());
    }
    return Origin.of(
        Origin.Kind.PROVIDER, String.join(", ", refs) + " through a placeholder, in " + written);
  }

  private static Origin origin(PropertySource<?> source, org.springframework.boot.origin.Origin o) {
    if (source instanceof SystemEnvironmentPropertySource) {
      return Origin.of(Origin.Kind.ENV);
    }
    org.springframework.boot.origin.Origin at = o;
    while (at != null && !(at instanceof TextResourceOrigin)) {
      // A relaxed look-up wraps the file's origin in the property source's.
      at =
          at instanceof PropertySourceOrigin wrapped && wrapped.getOrigin() != null
              ? wrapped.getOrigin()
              : at.getParent();
    }
    if (at != null) {
      return Origin.of(Origin.Kind.FILE, at.toString());
    }
    return Origin.of(Origin.Kind.OVERRIDE, source.getName());
  }

  @Override
  public String description() {
    return "Spring environment";
  }

  @Override
  public String toString() {
    return "SpringConfigSource[" + description() + "]";
  }
}
