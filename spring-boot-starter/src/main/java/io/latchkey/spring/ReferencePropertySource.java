package io.latchkey.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The property source that {@code spring.config.import=latchkey:} adds: once the environment is
 * prepared it holds every property whose effective value is a reference, ahead of the sources they
 * are written in, and answers each with a {@link ResolvedValue}.
 *
 * <p>Its names are Spring's canonical property names (so the binder finds {@code db.password}
 * whether the reference was written as {@code DB_PASSWORD} in the environment or as {@code
 * db.password} in a file); a look-up by the name as written also works. The origins are those of
 * the properties it stands in for, so Spring's own reports point at the file and line.
 */
final class ReferencePropertySource extends EnumerablePropertySource<Map<String, Object>>
    implements OriginLookup<String> {
  /** The name of this source in the environment: {@value}. */
  static final String NAME = "latchkey";

  private record Entry(ResolvedValue value, Origin origin) {}

  private volatile Map<ConfigurationPropertyName, Entry> byName = Map.of();
  private volatile Map<String, Entry> byRawName = Map.of();
  private volatile String[] names = new String[0];
  private volatile LatchkeyRuntime runtime;

  ReferencePropertySource() {
    super(NAME, Map.of());
  }

  /** Fills the source, once the environment has been scanned. */
  void install(
      LatchkeyRuntime runtime,
      Map<ReferenceProperty, Origin> origins,
      Map<ReferenceProperty, ConfigurationPropertyName> canonical) {
    Map<ConfigurationPropertyName, Entry> named = new LinkedHashMap<>();
    Map<String, Entry> raw = new LinkedHashMap<>();
    for (Map.Entry<ReferenceProperty, ConfigurationPropertyName> e : canonical.entrySet()) {
      ReferenceProperty property = e.getKey();
      Entry entry = new Entry(new ResolvedValue(property, runtime), origins.get(property));
      if (e.getValue() != null) {
        named.putIfAbsent(e.getValue(), entry);
      }
      // A name Spring cannot map (null above) is still found by Environment.getProperty.
      raw.putIfAbsent(property.rawName(), entry);
    }
    this.byName = Map.copyOf(named);
    this.byRawName = Map.copyOf(raw);
    this.names =
        named.keySet().stream().map(ConfigurationPropertyName::toString).toArray(String[]::new);
    this.runtime = runtime;
  }

  /** Returns the runtime once the environment has been prepared, or {@code null} before. */
  LatchkeyRuntime runtime() {
    return runtime;
  }

  @Override
  public String[] getPropertyNames() {
    return names.clone();
  }

  @Override
  public Object getProperty(String name) {
    Entry entry = entry(name);
    return entry == null ? null : entry.value();
  }

  @Override
  public boolean containsProperty(String name) {
    return entry(name) != null;
  }

  @Override
  public Origin getOrigin(String name) {
    Entry entry = entry(name);
    return entry == null ? null : entry.origin();
  }

  private Entry entry(String name) {
    Entry entry = byRawName.get(name);
    if (entry == null) {
      ConfigurationPropertyName canonical = ConfigurationPropertyName.ofIfValid(name);
      if (canonical != null) {
        entry = byName.get(canonical);
      }
    }
    return entry;
  }
}
