package io.latchkey.spring;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ReferenceSyntax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds every property of the environment whose effective value is a reference: written as one in
 * some property source, and not overridden by a source of higher precedence (under any of the names
 * Spring's relaxed binding gives it).
 *
 * <p>Only enumerable sources can be scanned; that covers the environment, system properties, the
 * command line, configuration files and test properties.
 */
final class EnvironmentScan {
  private static final String EMBEDDED_PLACEHOLDER = ReferenceSyntax.PLACEHOLDER_PREFIX;
  private static final String PLACEHOLDER_OPENING = "${";

  /** What the scan found: the properties in precedence order, and problems with any of them. */
  record Result(
      List<ReferenceProperty> properties,
      Map<ReferenceProperty, Origin> origins,
      Map<ReferenceProperty, ConfigurationPropertyName> canonical,
      List<ConfigException.Problem> problems) {}

  private final List<PropertySource<?>> sources = new ArrayList<>();
  private final IdentityHashMap<PropertySource<?>, Optional<ConfigurationPropertySource>> adapted =
      new IdentityHashMap<>();

  private EnvironmentScan(ConfigurableEnvironment environment) {
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (!(source instanceof ReferencePropertySource)
          && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        sources.add(source);
      }
    }
  }

  /**
   * Scans the environment. A plain value with a placeholder that reaches a property written as a
   * reference ({@code Bearer ${partner.token}}, or through other properties) is a problem unless
   * {@code latchkey.allow-plain-string-binding} allows the property that holds it: expanded, it is
   * the secret as plain text.
   */
  static Result scan(ConfigurableEnvironment environment, LatchkeySettings settings) {
    return new EnvironmentScan(environment).run(settings);
  }

  /**
   * Returns the schemes of the values written as references in any source, shadowed or not: what
   * the warm-up needs, without the names and origins that {@link #scan} works out. A shadowed
   * reference only warms a provider that will not be used, and a warm-up contacts no backend.
   */
  static Set<String> schemes(ConfigurableEnvironment environment) {
    Set<String> schemes = new LinkedHashSet<>();
    for (PropertySource<?> candidate : new EnvironmentScan(environment).sources) {
      if (!(candidate instanceof EnumerablePropertySource<?> source)) {
        continue;
      }
      for (String rawName : source.getPropertyNames()) {
        if (source.getProperty(rawName) instanceof CharSequence raw
            && ReferenceSyntax.looksLikeReference(raw.toString())) {
          try {
            ReferenceSyntax.reference(raw.toString()).ifPresent(r -> schemes.add(r.scheme()));
          } catch (IllegalArgumentException e) {
            // Reported by the scan, which fails start-up with it.
          }
        }
      }
    }
    return schemes;
  }

  /** A plain value with a placeholder in it, checked once every reference is known. */
  private record Templated(
      int index, EnumerablePropertySource<?> source, String rawName, String text) {}

  private Result run(LatchkeySettings settings) {
    List<ReferenceProperty> found = new ArrayList<>();
    Map<ReferenceProperty, Origin> origins = new LinkedHashMap<>();
    Map<ReferenceProperty, ConfigurationPropertyName> canonical = new LinkedHashMap<>();
    List<ConfigException.Problem> problems = new ArrayList<>();
    List<Templated> templated = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      if (!(sources.get(i) instanceof EnumerablePropertySource<?> source)) {
        continue;
      }
      for (String rawName : source.getPropertyNames()) {
        Object raw = source.getProperty(rawName);
        if (!(raw instanceof CharSequence)) {
          continue;
        }
        String text = raw.toString();
        boolean reference = ReferenceSyntax.looksLikeReference(text);
        if (!reference && text.indexOf(EMBEDDED_PLACEHOLDER, 1) < 0) {
          if (text.contains(PLACEHOLDER_OPENING)) {
            templated.add(new Templated(i, source, rawName, text));
          }
          continue;
        }
        ConfigurationPropertyName name = canonicalName(source, rawName);
        if (shadowed(i, rawName, name)) {
          continue;
        }
        Origin origin = OriginLookup.getOrigin(source, rawName);
        if (origin == null) {
          origin = new PropertySourceOrigin(source, rawName);
        }
        String where = origin.toString();
        String shown = name == null ? rawName : name.toString();
        if (!reference) {
          // Spring replaces ${ref:…} inside a longer value before anyone else reads it.
          problems.add(
              new ConfigException.Problem(
                  shown + " (" + where + ")",
                  "contains '${ref:' inside a longer value, which Spring reads as a placeholder"
                      + " named 'ref' and replaces by its default; a reference must be the whole"
                      + " value, written ref+REFERENCE"));
          continue;
        }
        Optional<SecretRef> ref;
        try {
          ref = ReferenceSyntax.reference(text);
        } catch (IllegalArgumentException e) {
          problems.add(new ConfigException.Problem(shown + " (" + where + ")", e.getMessage()));
          continue;
        }
        if (ref.isEmpty()) {
          continue;
        }
        ReferenceProperty property = new ReferenceProperty(shown, rawName, where, ref.get());
        found.add(property);
        origins.put(property, origin);
        canonical.put(property, name);
      }
    }
    if (!found.isEmpty()) {
      checkPlaceholders(templated, found, settings, problems);
    }
    return new Result(List.copyOf(found), origins, canonical, List.copyOf(problems));
  }

  /**
   * What a property name reaches when a placeholder names it: the references (by their names), and
   * whether it is one of them rather than a plain value whose own placeholders reach them.
   */
  private record Reach(Set<String> references, boolean direct) {}

  /**
   * Adds a problem for each value whose placeholders reach a property written as a reference, and
   * whose property is not allowed to hold a secret as text: directly ({@code ${partner.token}}) or
   * through other plain values, each of which reaches one itself ({@code b=${a}}, {@code
   * a=${partner.token}}), as far as the chain goes. A value that reaches one counts as reaching it
   * even where it is allowed, since Spring expands the chain whole.
   */
  private void checkPlaceholders(
      List<Templated> templated,
      List<ReferenceProperty> references,
      LatchkeySettings settings,
      List<ConfigException.Problem> problems) {
    Map<String, Reach> reaching = new HashMap<>();
    for (ReferenceProperty p : references) {
      Reach self = new Reach(Set.of(p.name()), true);
      reaching.putIfAbsent(p.rawName(), self);
      reaching.putIfAbsent(p.name(), self);
    }
    // Each round adds the values that name one found in the rounds before: a chain of n
    // properties takes n rounds, and the loop ends when a round finds none.
    // Each value's placeholders are read once, not once a round.
    Map<Templated, List<Placeholder>> pending = new LinkedHashMap<>();
    for (Templated t : templated) {
      pending.put(t, placeholders(t.text()));
    }
    boolean grew = true;
    while (grew && !pending.isEmpty()) {
      grew = false;
      for (Iterator<Map.Entry<Templated, List<Placeholder>>> it = pending.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Templated, List<Placeholder>> next = it.next();
        Templated t = next.getKey();
        Set<String> named = new LinkedHashSet<>();
        Set<String> reached = new LinkedHashSet<>();
        boolean allDirect = true;
        for (Placeholder placeholder : next.getValue()) {
          Reach reach = reaching.get(placeholder.written());
          if (reach == null && placeholder.canonical() != null) {
            reach = reaching.get(placeholder.canonical());
          }
          if (reach != null) {
            named.add(placeholder.written());
            reached.addAll(reach.references());
            allDirect &= reach.direct();
          }
        }
        // The property's canonical name and shadowing cost more than this search, and most values
        // with a placeholder name no reference: they are worked out only for those that do.
        if (named.isEmpty()) {
          continue;
        }
        it.remove();
        ConfigurationPropertyName name = canonicalName(t.source(), t.rawName());
        String shown = name == null ? t.rawName() : name.toString();
        if (shadowed(t.index(), t.rawName(), name)) {
          continue; // not the value Spring expands
        }
        Reach reach = new Reach(new LinkedHashSet<>(reached), false);
        reaching.putIfAbsent(t.rawName(), reach);
        reaching.putIfAbsent(shown, reach);
        grew = true;
        if (!settings.plainStringAllowed(shown)) {
          problems.add(placeholderProblem(t, shown, named, reached, allDirect));
        }
      }
    }
  }

  private static ConfigException.Problem placeholderProblem(
      Templated t, String shown, Set<String> named, Set<String> reached, boolean direct) {
    Origin origin = OriginLookup.getOrigin(t.source(), t.rawName());
    String where =
        origin == null
            ? new PropertySourceOrigin(t.source(), t.rawName()).toString()
            : origin.toString();
    String what =
        direct
            ? "names "
                + String.join(", ", reached)
                + ", written as a secret reference, in a placeholder"
            : "names "
                + String.join(", ", named)
                + " in a placeholder, which reaches "
                + String.join(", ", reached)
                + ", written as a secret reference, through placeholders of its own";
    return new ConfigException.Problem(
        shown + " (" + where + ")",
        what
            + ": expanded, the value holds the secret as plain text; build the text where it is"
            + " used, from a Secret, or allow it:"
            + " latchkey.allow-plain-string-binding=spring.*,"
            + shown);
  }

  /** A placeholder's name as written, and the canonical name Spring maps it to, or null. */
  private record Placeholder(String written, String canonical) {}

  /** The placeholders in a value, nested ones and those in defaults included. */
  private static List<Placeholder> placeholders(String text) {
    List<Placeholder> found = new ArrayList<>();
    for (String name : placeholderNames(text)) {
      ConfigurationPropertyName canonical = ConfigurationPropertyName.ofIfValid(name);
      found.add(new Placeholder(name, canonical == null ? null : canonical.toString()));
    }
    return found;
  }

  /** The names of the placeholders in a value, nested ones and those in defaults included. */
  private static List<String> placeholderNames(String text) {
    List<String> names = new ArrayList<>();
    int at = text.indexOf(PLACEHOLDER_OPENING);
    while (at >= 0) {
      int start = at + PLACEHOLDER_OPENING.length();
      int end = start;
      while (end < text.length() && ":}$".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      if (end > start) {
        names.add(text.substring(start, end).strip());
      }
      at = text.indexOf(PLACEHOLDER_OPENING, start);
    }
    return names;
  }

  /**
   * Returns the name Spring binds a source's property under, by asking Spring to map a one-entry
   * copy of the source (so an environment variable maps as environment variables do), or {@code
   * null} if Spring cannot map it.
   */
  private static ConfigurationPropertyName canonicalName(PropertySource<?> source, String rawName) {
    Map<String, Object> one = Map.of(rawName, "");
    PropertySource<?> copy =
        source instanceof SystemEnvironmentPropertySource && isSystemEnvironment(source)
            ? new SystemEnvironmentPropertySource(source.getName(), one)
            : new MapPropertySource(source.getName(), one);
    if (ConfigurationPropertySource.from(copy) instanceof IterableConfigurationPropertySource it) {
      return it.stream().findFirst().orElse(null);
    }
    return null;
  }

  private static boolean isSystemEnvironment(PropertySource<?> source) {
    String name = source.getName();
    return name.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
        || name.endsWith("-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
  }

  /** Tells whether a source of higher precedence than the {@code index}th sets the property. */
  private boolean shadowed(int index, String rawName, ConfigurationPropertyName name) {
    for (int j = 0; j < index; j++) {
      PropertySource<?> higher = sources.get(j);
      if (higher.containsProperty(rawName)) {
        return true;
      }
      if (name != null) {
        Optional<ConfigurationPropertySource> relaxed =
            adapted.computeIfAbsent(
                higher, s -> Optional.ofNullable(ConfigurationPropertySource.from(s)));
        if (relaxed.isPresent() && relaxed.get().getConfigurationProperty(name) != null) {
          return true;
        }
      }
    }
    return false;
  }
}
