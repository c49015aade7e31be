package io.latchkey.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the setting a record component is read from, for {@link ConfigSchema#forRecord(Class)}.
 *
 * <pre>{@code
 * record AppConfig(
 *     @Env(value = "PORT", type = "port", defaultValue = "8080", group = "Server") int port,
 *     @Env(value = "LLM_API_KEY", aliases = "OPENAI_API_KEY") Secret llmApiKey,
 *     @Env(value = "REQUEST_TIMEOUT", defaultValue = "30s") Duration requestTimeout,
 *     @Env("SENTRY_DSN") Optional<URI> sentryDsn) {}
 *
 * AppConfig config = ConfigSchema.load(AppConfig.class, source);
 * }</pre>
 *
 * <p>The component's Java type gives the setting's type: {@code String}, {@code int} or {@code
 * Integer} (an integer), {@code boolean} or {@code Boolean} (a strict boolean), {@code Duration},
 * {@code URI}, an enum, {@code List<T>} of any of these but secrets, {@link io.latchkey.Secret} (a
 * secret), {@link KeyList} (a key list), and {@code Optional<T>} of any of these, which makes the
 * setting optional. {@link #type()} narrows it where a Java type says too little: {@code port} for
 * an {@code int}, {@code fernet-key} for a {@code Secret}, {@code fernet-key-list} for a {@code
 * KeyList}.
 *
 * <p>A component without this annotation is read from its name in upper snake case ({@code
 * requestTimeout} from {@code REQUEST_TIMEOUT}), as a required setting with no description.
 *
 * <p>A secret must be declared as {@code Secret} or {@code KeyList}, never {@code String}, since a
 * record's {@code toString()} prints every component. For the same reason a setting derived from a
 * secret, such as a database URL built from a password, must be a {@code Secret} component;
 * {@code @Env(type = "url") Secret databaseUrl} still checks that it is a URL. Any {@code type} can
 * be held as a {@code Secret} this way. {@link Config#bind(Class)} applies the same rule to the
 * configuration it binds, and also refuses a non-{@code Secret} component for a value that a secret
 * reference ({@code ref+…}) resolved to.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Env {
  /**
   * Returns the environment-variable name.
   *
   * @return the name; empty to use the component's name in upper snake case
   */
  String value() default "";

  /**
   * Returns the schema type, as a JSON schema names it, where the Java type says too little.
   *
   * @return a type such as {@code port} or {@code fernet-key}; empty to take it from the
   *     component's Java type
   */
  String type() default "";

  /**
   * Returns the default, as text.
   *
   * @return the default; empty for none
   */
  String defaultValue() default "";

  /**
   * Returns the description, for docs.
   *
   * @return the description; empty for none
   */
  String description() default "";

  /**
   * Returns the group, for docs.
   *
   * @return the group; empty for {@code General}
   */
  String group() default "";

  /**
   * Returns whether the value is secret; {@code Secret} and {@code KeyList} components are secret
   * anyway.
   *
   * @return {@code true} to mask a non-secret type's value
   */
  boolean secret() default false;

  /**
   * Returns example values, for docs.
   *
   * @return the examples
   */
  String[] examples() default {};

  /**
   * Returns deprecated names, still read with a warning.
   *
   * @return the old names
   */
  String[] aliases() default {};

  /**
   * Returns the template the value is derived from when no source sets it.
   *
   * @return a template such as {@code postgresql://app:${POSTGRES_PASSWORD|url}@db/app}; empty for
   *     none
   */
  String derive() default "";

  /**
   * Returns the smallest allowed value of an integer.
   *
   * @return the minimum
   */
  int min() default Integer.MIN_VALUE;

  /**
   * Returns the largest allowed value of an integer.
   *
   * @return the maximum
   */
  int max() default Integer.MAX_VALUE;

  /**
   * Returns the allowed schemes of a URI.
   *
   * @return the schemes; empty to allow any
   */
  String[] schemes() default {};

  /**
   * Returns the allowed values of a {@code String} component declared as {@code type = "enum"}.
   *
   * @return the allowed values
   */
  String[] values() default {};
}
