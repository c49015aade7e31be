package io.latchkey.microprofile;

import io.latchkey.ConfigException;
import io.latchkey.config.Origin;
import io.latchkey.resolver.ReferenceSyntax;
import io.latchkey.resolver.ResolvingConfigSource;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a property whose value, after MicroProfile's expressions are expanded, is a secret
 * reference ({@code ref+aws:prod/db#password}); every other value passes through. {@link
 * SecretReferences} documents the rules.
 */
final class ReferenceInterceptor implements ConfigSourceInterceptor {
  private static final long serialVersionUID = 1L;

  /**
   * Ends the source name of a value this module resolved, so that the operator sees where it came
   * from and a second Latchkey interceptor in the chain leaves it alone.
   */
  static final String RESOLVED = " via Latchkey";

  // Transient: an interceptor holding a resolver is a service, never data to serialise.
  private final transient ResolverHandle handle;

  ReferenceInterceptor(ResolverHandle handle) {
    this.handle = handle;
  }

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    if (value == null || value.getValue() == null) {
      return value;
    }
    String text = value.getValue();
    String source = value.getConfigSourceName();
    if (source != null && source.endsWith(RESOLVED)) {
      return value;
    }
    String raw = value.getRawValue();
    boolean expanded = raw != null && !raw.equals(text);
    if (expanded) {
      Optional<Placeholders.Found> placeholder = Placeholders.find(context, name, value);
      if (placeholder.isPresent()) {
        throw placeholderError(name, placeholder.get());
      }
    }
    if (expanded && text.startsWith(ReferenceSyntax.PLACEHOLDER_PREFIX)) {
      // What an escaped "\${ref:" or "$${ref:" expands to: plain text, as its author meant.
      return value;
    }
    if (!ReferenceSyntax.looksLikeReference(text)) {
      String literal = ReferenceSyntax.literal(text);
      return literal.equals(text) ? value : value.from().withValue(literal).build();
    }
    io.latchkey.config.ConfigValue resolved;
    try {
      resolved =
          new ResolvingConfigSource(
                  io.latchkey.config.ConfigSource.of(Map.of(name, text), Origin.Kind.DERIVED),
                  handle.get())
              .get(name)
              .orElseThrow();
    } catch (ConfigException e) {
      throw new ConfigException(
          e.problems().stream()
              .map(p -> new ConfigException.Problem(p.setting(), p.reason() + where(source)))
              .toList());
    }
    return value
        .from()
        .withValue(resolved.text())
        .withConfigSourceName((source == null ? "unknown source" : source) + RESOLVED)
        .build();
  }

  private static ConfigException placeholderError(String name, Placeholders.Found found) {
    String written =
        found.property().equals(name)
            ? "is written with ${ref:…}"
            : "takes its value from " + found.property() + ", which is written with ${ref:…}";
    return new ConfigException(
        name,
        written
            + ", which MicroProfile Config expands as an expression (a property named 'ref' with a"
            + " default) before Latchkey sees it; write ref+REFERENCE as the whole value of its own"
            + " property"
            + where(found.source()));
  }

  private static String where(String source) {
    return source == null ? "" : " (in " + source + ")";
  }

  private void writeObject(ObjectOutputStream out) throws NotSerializableException {
    throw new NotSerializableException(getClass().getName());
  }

  @Override
  public String toString() {
    return "ReferenceInterceptor[" + handle + "]";
  }
}
