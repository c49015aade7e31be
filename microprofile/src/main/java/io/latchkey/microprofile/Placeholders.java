package io.latchkey.microprofile;

import io.latchkey.resolver.ReferenceSyntax;
import io.smallrye.common.expression.Expression;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a {@code ${ref:…}} that SmallRye's expression engine expanded, wherever it was written: as
 * the whole value, inside it ({@code jdbc:…:${ref:env:DB_PW}@db}), or in a property that an
 * expression of the value reads ({@code ${placeholder}}). The engine reads each as a property
 * {@code ref} with a default, so the application would get the reference's text.
 *
 * <p>The value is parsed the way SmallRye's {@code ExpressionConfigSourceInterceptor} parses it
 * (its flags, and {@code \$} as {@code $$}), so that an escaped {@code $${ref:…}} or {@code
 * \${ref:…}}, which the engine leaves as text, is not taken for one.
 */
final class Placeholders {
  /** A property whose raw value holds an expanded {@code ${ref:…}}, and its source. */
  record Found(String property, String source) {}

  /** The expression engine's own limit on nested expansion. */
  private static final int MAX_DEPTH = 32;

  private static final String REF = "ref";

  private Placeholders() {}

  /**
   * Looks in a value that expressions changed, and in the values its expressions read.
   *
   * @param context the chain below the caller, which expands expressions as the read did
   * @param name the property read
   * @param value its value, expanded, with its raw value
   * @return the property written with {@code ${ref:…}}, if any
   */
  static Optional<Found> find(
      ConfigSourceInterceptorContext context, String name, ConfigValue value) {
    Set<String> seen = new HashSet<>();
    seen.add(name);
    return find(context, name, value, 0, seen);
  }

  private static Optional<Found> find(
      ConfigSourceInterceptorContext context,
      String name,
      ConfigValue value,
      int depth,
      Set<String> seen) {
    String raw = value.getRawValue();
    if (raw == null || raw.indexOf('$') < 0) {
      return Optional.empty();
    }
    Expression expression = parse(raw);
    if (expression == null) {
      return Optional.empty();
    }
    Set<String> keys = expression.getReferencedStrings();
    if (keys.contains(REF) && raw.contains(ReferenceSyntax.PLACEHOLDER_PREFIX)) {
      return Optional.of(new Found(name, value.getConfigSourceName()));
    }
    if (depth >= MAX_DEPTH) {
      return Optional.empty();
    }
    for (String key : keys) {
      if (!seen.add(key)) {
        continue;
      }
      ConfigValue nested;
      try {
        nested = context.proceed(key);
      } catch (RuntimeException e) {
        // The read being checked expanded this key already; a second look that fails has nothing
        // to add, and the check must not fail a read that SmallRye served.
        continue;
      }
      if (nested != null) {
        Optional<Found> found = find(context, key, nested, depth + 1, seen);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Finds a value from a {@link LatchkeyConfigSource} among those that a value's expressions read,
   * directly or through other properties' expressions, each looked up with expressions off.
   *
   * @param context the chain below the caller
   * @param value the value, as stored
   * @return the name of the Latchkey source that served one, if any
   */
  static Optional<String> readLatchkeyValue(
      ConfigSourceInterceptorContext context, ConfigValue value) {
    Set<String> seen = new HashSet<>();
    seen.add(value.getName());
    return readLatchkeyValue(context, value.getRawValue(), 0, seen);
  }

  private static Optional<String> readLatchkeyValue(
      ConfigSourceInterceptorContext context, String raw, int depth, Set<String> seen) {
    if (raw == null || raw.indexOf('$') < 0 || depth >= MAX_DEPTH) {
      return Optional.empty();
    }
    Expression expression = parse(raw);
    if (expression == null) {
      return Optional.empty();
    }
    for (String key : expression.getReferencedStrings()) {
      if (!seen.add(key)) {
        continue;
      }
      ConfigValue nested;
      LayerTrail trail = LayerTrail.listen();
      try {
        nested = Expressions.withoutExpansion(() -> context.proceed(key));
      } catch (RuntimeException e) {
        // Only an explanation is looked for here; the read's own failure is reported either way.
        continue;
      } finally {
        trail.stop();
      }
      if (nested == null) {
        continue;
      }
      if (trail.servedByLatchkey(nested)) {
        return Optional.of(nested.getConfigSourceName());
      }
      Optional<String> found = readLatchkeyValue(context, nested.getRawValue(), depth + 1, seen);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Expression parse(String raw) {
    try {
      return Expression.compile(
          raw.replace("\\$", "$$"),
          Expression.Flag.LENIENT_SYNTAX,
          Expression.Flag.NO_TRIM,
          Expression.Flag.NO_SMART_BRACES,
          Expression.Flag.DOUBLE_COLON);
    } catch (IllegalArgumentException e) {
      return null; // SmallRye reports a malformed expression itself
    }
  }
}
