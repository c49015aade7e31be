package io.latchkey.microprofile;

import io.latchkey.ConfigException;
import io.latchkey.config.Origin;
import io.latchkey.resolver.ReferenceSyntax;
import io.latchkey.resolver.ResolvingConfigSource;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a property whose value, after MicroProfile's expressions are expanded, is a secret
 * reference ({@code ref+aws:prod/db#password}); every other value passes through. A value that
 * {@link LatchkeyConfigSource} serves as stored (a file, the secrets directory, {@code .env}) is
 * taken as it was stored, without the expansion. {@link SecretReferences} documents the rules.
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
    if (!Expressions.isEnabled()) {
      return resolve(context, name, context.proceed(name));
    }
    // Looked up first with expressions off, to learn where the value comes from before SmallRye's
    // expression engine (below this interceptor) reads it: a value that Latchkey's source serves
    // verbatim must never be expanded, nor quoted by the engine's errors.
    ConfigValue stored;
    LayerTrail trail = LayerTrail.listen();
    try {
      stored = Expressions.withoutExpansion(() -> context.proceed(name));
    } finally {
      trail.stop();
    }
    if (stored == null) {
      return null;
    }
    if (stored.getValue() != null && trail.servedVerbatim(stored)) {
      return resolve(context, name, stored);
    }
    if (stored.getValue() != null && stored.getValue().indexOf('$') < 0) {
      // The engine returns a value without '$' as it is: a second lookup would find the same.
      return resolve(context, name, stored);
    }
    return resolve(context, name, expand(context, name, stored, trail));
  }

  /**
   * The normal lookup, with expressions, for a value that holds a '$'. When the value, or one that
   * its expressions read, comes from Latchkey's source, a failure is reported without SmallRye's
   * message, which quotes the part of the value it could not expand.
   */
  private ConfigValue expand(
      ConfigSourceInterceptorContext context, String name, ConfigValue stored, LayerTrail trail) {
    ConfigValue value;
    try {
      value = context.proceed(name);
    } catch (ConfigException e) {
      throw e; // Latchkey's own, which never carries a value
    } catch (RuntimeException e) {
      Optional<String> latchkey = latchkeySource(context, stored, trail);
      if (latchkey.isPresent()) {
        throw notExpanded(name, latchkey.get());
      }
      throw e;
    }
    if (value != null && value.hasProblems()) {
      Optional<String> latchkey = latchkeySource(context, stored, trail);
      if (latchkey.isPresent()) {
        // Thrown rather than kept as a problem: SmallRye offers no way to make a problem that
        // throws, and an optional read would silently get the half-expanded value.
        throw notExpanded(name, latchkey.get());
      }
    }
    return value;
  }

  /** The name of the Latchkey source that served the value or a value its expressions read. */
  private static Optional<String> latchkeySource(
      ConfigSourceInterceptorContext context, ConfigValue stored, LayerTrail trail) {
    if (trail.servedByLatchkey(stored)) {
      return Optional.of(stored.getConfigSourceName());
    }
    return Placeholders.readLatchkeyValue(context, stored);
  }

  private static ConfigException notExpanded(String name, String source) {
    return new ConfigException(
        name,
        "has an expression that MicroProfile Config could not expand; SmallRye's message is not"
            + " shown, since it quotes part of a value that may be a secret"
            + where(source));
  }

  /**
   * Resolves a reference, or unescapes a literal. A verbatim value, looked up with expressions off,
   * has its raw value as its value, and so is treated as any value is where expressions are off.
   */
  private ConfigValue resolve(
      ConfigSourceInterceptorContext context, String name, ConfigValue value) {
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
