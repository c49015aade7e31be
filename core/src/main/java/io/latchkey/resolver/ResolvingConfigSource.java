package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigSource} whose settings may take their value from a secret reference, resolved
 * through a {@link SecretResolver}, so that a schema works over every provider.
 *
 * <p>A raw value that is exactly {@code ref+REFERENCE} (or {@code ${ref:REFERENCE}}) is replaced by
 * the value of {@code REFERENCE} (in the grammar {@link SecretRef} documents); every other value
 * passes through unchanged. {@link ReferenceSyntax} says which spelling to use where and how to
 * escape a plain value that begins like one. The explicit form cannot be confused with a plain
 * value: a password that happens to look like {@code aws:prod/db} stays a password.
 *
 * <pre>{@code
 * // JWT_SECRET_KEY=ref+aws:prod/jwt#signing_key
 * // DATABASE_PASSWORD=ref+vault:secret/data/app#db_password
 * ConfigSource source = new ResolvingConfigSource(ConfigSource.of(System.getenv(), ENV), resolver);
 * Config config = schema.load(source);
 * }</pre>
 *
 * <p>A resolved value's {@link Origin} is {@link Origin.Kind#PROVIDER} with the reference as its
 * detail, so the masked report shows it came from a provider and the origin says which secret. A
 * malformed reference, a missing secret or a failing provider is a {@link ConfigException} problem
 * for the setting, which the schema lists with every other problem.
 *
 * <h2>Security</h2>
 *
 * <p>A malformed reference is reported by position only, never quoted, since a value that was meant
 * as a secret may have been written as a reference by mistake.
 *
 * @since 0.1
 */
public final class ResolvingConfigSource implements ConfigSource {
  private final ConfigSource source;
  private final SecretResolver resolver;

  /**
   * Wraps a source.
   *
   * @param source where the raw values come from
   * @param resolver what resolves the references; the caller keeps and closes it
   */
  public ResolvingConfigSource(ConfigSource source, SecretResolver resolver) {
    this.source = requireNonNull(source, "source");
    this.resolver = requireNonNull(resolver, "resolver");
  }

  /**
   * Looks up a value, resolving it if it is a reference.
   *
   * @param name an environment-variable name
   * @return the value (resolved), or empty if the source has none
   * @throws ConfigException naming the setting if the reference is malformed or cannot be resolved,
   *     or if the underlying source fails
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    Optional<ConfigValue> raw;
    try {
      raw = source.get(name);
    } catch (LatchkeyException e) {
      throw e;
    } catch (Throwable t) {
      if (ProviderFailure.isFatal(t)) {
        throw t;
      }
      // Its message may quote the value it was reading; the class says enough to find the fault.
      throw new ConfigException(
          name, "could not be read: the source failed with " + t.getClass().getName());
    }
    if (raw.isEmpty()) {
      return raw;
    }
    String text = raw.get().text();
    Optional<SecretRef> reference;
    try {
      reference = ReferenceSyntax.reference(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, e.getMessage());
    }
    if (reference.isEmpty()) {
      String literal = ReferenceSyntax.literal(text);
      return literal.equals(text)
          ? raw
          : Optional.of(new ConfigValue(name, literal, raw.get().origin()));
    }
    SecretRef ref = reference.get();
    Secret value;
    try {
      value = resolver.resolve(ref);
    } catch (SecretNotFoundException e) {
      throw new ConfigException(name, "secret " + ref + " was not found: " + e.reason());
    } catch (ProviderException e) {
      throw new ConfigException(
          name,
          "secret " + ref + " could not be resolved: " + e.kind().label() + ": " + e.reason());
    }
    return Optional.of(
        new ConfigValue(name, value.reveal(), Origin.of(Origin.Kind.PROVIDER, ref.toString())));
  }

  /**
   * Returns the names of the underlying source.
   *
   * @return the names
   */
  @Override
  public Set<String> names() {
    return source.names();
  }

  /**
   * Describes the underlying source and the resolving.
   *
   * @return the description
   */
  @Override
  public String description() {
    return source.description() + ", resolving references through " + resolver;
  }

  /** Returns {@code ResolvingConfigSource[description]}; never a value. */
  @Override
  public String toString() {
    return "ResolvingConfigSource[" + description() + "]";
  }
}
