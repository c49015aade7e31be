package io.latchkey.config;

import io.latchkey.Secret;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A record class read as a schema: one setting per component, from its Java type and its {@link
 * Env} annotation. Worked out once per class (the reflection happens here, not per load) and cached
 * for the life of the class.
 */
final class RecordBinding<R extends Record> {
  private static final ClassValue<RecordBinding<?>> CACHE =
      new ClassValue<>() {
        @Override
        protected RecordBinding<?> computeValue(Class<?> type) {
          return new RecordBinding<>(type.asSubclass(Record.class));
        }
      };

  private final Class<R> type;
  private final ConfigSchema schema;
  private final Constructor<R> constructor;
  private final Setting<?>[] settings;
  private final String[] components;
  private final boolean[] wrapped;

  private RecordBinding(Class<R> type) {
    this.type = type;
    RecordComponent[] components = type.getRecordComponents();
    this.settings = new Setting<?>[components.length];
    this.components = new String[components.length];
    this.wrapped = new boolean[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    ConfigSchema.Builder builder = ConfigSchema.builder();
    for (int k = 0; k < components.length; k++) {
      RecordComponent component = components[k];
      parameterTypes[k] = component.getType();
      this.components[k] = component.getName();
      wrapped[k] = component.getType() == Optional.class;
      try {
        settings[k] = setting(component);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            type.getSimpleName() + "." + component.getName() + ": " + e.getMessage(), e);
      }
      builder.add(settings[k]);
    }
    try {
      this.schema = builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getMessage(), e);
    }
    for (int k = 0; k < components.length; k++) {
      if (schema.isSensitive(k)) {
        requireSecretHolder(k, "is derived from a secret");
      }
    }
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
    }
    if (!constructor.trySetAccessible()) {
      throw new IllegalArgumentException(
          "cannot create "
              + type.getName()
              + ": make the record public in an exported package, or open its package to module"
              + " io.latchkey");
    }
  }

  @SuppressWarnings("unchecked") // the cache computes a binding for exactly the class asked for
  static <R extends Record> RecordBinding<R> of(Class<R> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record class");
    }
    return (RecordBinding<R>) CACHE.get(type);
  }

  ConfigSchema schema() {
    return schema;
  }

  /**
   * A record's toString() prints every component: a value that is, or came from, a secret must be
   * held as a Secret (or KeyList). The same rule applies whether the record declares the schema or
   * binds a configuration loaded with another one.
   */
  private void requireSecretHolder(int k, String why) {
    if (settings[k].valueType().isSecret()) {
      return;
    }
    throw new IllegalArgumentException(
        type.getSimpleName()
            + "."
            + components[k]
            + ": "
            + settings[k].name()
            + " "
            + why
            + ", and the record's toString() would print it; declare it as Secret (with type = \""
            + settings[k].type()
            + "\" to keep the check)");
  }

  /** Creates the record from a configuration of this schema, or of any schema that fits. */
  R bind(Config config) {
    Object[] args = new Object[settings.length];
    for (int k = 0; k < settings.length; k++) {
      Setting<?> wanted = settings[k];
      String name = wanted.name();
      int i = config.schema().indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException(
            type.getSimpleName() + " needs " + name + ", which the configuration does not declare");
      }
      if (config.schema().isSecret(i)) {
        requireSecretHolder(k, "is secret");
      } else if (config.schema().isSensitive(i)) {
        requireSecretHolder(k, "is derived from a secret");
      } else if (config.isFromSecret(i)) {
        requireSecretHolder(k, "holds the value of a secret reference");
      }
      Object value = convert(config.value(i), config.schema().settings().get(i), wanted);
      if (wrapped[k]) {
        args[k] = Optional.ofNullable(value);
      } else if (value == null) {
        throw new IllegalArgumentException(
            type.getSimpleName()
                + " needs a value for "
                + name
                + ", which is optional and not set; declare the component as Optional");
      } else {
        args[k] = value;
      }
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof VirtualMachineError || cause instanceof ThreadDeath) {
        throw (Error) cause;
      }
      // Anything else, an AssertionError included, may quote a value the constructor was given:
      // its class is all that is kept, as for a derivation function or a source.
      throw new IllegalStateException(
          type.getName() + "'s constructor failed with " + cause.getClass().getName());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + type.getName(), e);
    }
  }

  /** Checks that a configuration's value fits the component; an enum read as text is matched. */
  private Object convert(Object value, Setting<?> actual, Setting<?> wanted) {
    ValueType<?> have = actual.valueType();
    ValueType<?> want = wanted.valueType();
    if (have.javaType == want.javaType
        && (want.element == null
            || (have.element != null && have.element.javaType == want.element.javaType))) {
      return value;
    }
    if (want.javaType == Secret.class && !have.isSecret()) {
      // A value the configuration holds as text or a URL, which the record holds as a Secret:
      // checked as the component's type says, then wrapped.
      if (value == null) {
        return null;
      }
      try {
        return want.parse(have.format(value));
      } catch (ValueType.Invalid e) {
        throw new IllegalArgumentException(
            wanted.name() + " holds a value that " + type.getSimpleName() + " does not allow");
      }
    }
    if (want.javaType.isEnum() && have.javaType == String.class && have.name.equals("enum")) {
      if (value == null) {
        return null;
      }
      try {
        return want.parse((String) value);
      } catch (ValueType.Invalid e) {
        throw new IllegalArgumentException(
            wanted.name() + " holds a value that " + type.getSimpleName() + " does not allow", e);
      }
    }
    throw new IllegalArgumentException(
        type.getSimpleName()
            + " reads "
            + wanted.name()
            + " as "
            + want.display
            + ", but the configuration holds it as "
            + have.display);
  }

  // ---- reading a component ----

  private static Setting<?> setting(RecordComponent component) {
    Env env = component.getAnnotation(Env.class);
    String name =
        env != null && !env.value().isEmpty() ? env.value() : upperSnake(component.getName());
    Type generic = component.getGenericType();
    boolean optional = component.getType() == Optional.class;
    if (optional) {
      generic = typeArgument(generic, "Optional");
    }
    Class<?> raw = box(rawClass(generic));
    ValueType<?> type = type(raw, generic, env);
    if (env != null && env.secret() && !type.isSecret()) {
      throw new IllegalArgumentException(
          "a secret must be declared as Secret (or KeyList), not "
              + raw.getSimpleName()
              + ", or the record's toString() prints it");
    }
    Setting.Builder<?> builder = Setting.of(name, type);
    if (optional) {
      builder.optional();
    }
    if (env != null) {
      builder.description(env.description());
      if (!env.group().isEmpty()) {
        builder.group(env.group());
      }
      if (!env.defaultValue().isEmpty()) {
        builder.defaultText(env.defaultValue());
      }
      if (env.secret()) {
        builder.secret();
      }
      builder.examples(env.examples());
      builder.aliases(env.aliases());
      if (!env.derive().isEmpty()) {
        builder.derive(env.derive());
      }
    }
    return builder.build();
  }

  private static ValueType<?> type(Class<?> raw, Type generic, Env env) {
    String named = env == null ? "" : env.type();
    if (raw == List.class) {
      Class<?> element = box(rawClass(typeArgument(generic, "List")));
      ValueType<?> elementType =
          named.isEmpty() || named.equals("list")
              ? inferred(element, env)
              : checked(ValueType.named(named, options(env, element)), element, named);
      return ValueType.list(elementType);
    }
    if (named.isEmpty()) {
      return inferred(raw, env);
    }
    if (raw == Secret.class && !named.equals("secret") && !named.equals("fernet-key")) {
      // Checked as its type, held as a Secret: a URL with a password in it, say.
      return ValueType.secretHolder(ValueType.named(named, options(env, String.class)));
    }
    return checked(ValueType.named(named, options(env, raw)), raw, named);
  }

  private static ValueType<?> checked(ValueType<?> type, Class<?> javaType, String named) {
    if (type.javaType != javaType) {
      throw new IllegalArgumentException(
          "type '"
              + named
              + "' holds "
              + type.javaType.getSimpleName()
              + " values, not "
              + javaType.getSimpleName());
    }
    return type;
  }

  @SuppressWarnings("unchecked") // isEnum() checked
  private static ValueType.Options options(Env env, Class<?> javaType) {
    Class<? extends Enum<?>> enumType =
        javaType.isEnum() ? (Class<? extends Enum<?>>) javaType : null;
    if (env == null) {
      return new ValueType.Options(null, null, null, null, null, enumType);
    }
    return new ValueType.Options(
        env.min() == Integer.MIN_VALUE ? null : env.min(),
        env.max() == Integer.MAX_VALUE ? null : env.max(),
        env.schemes().length == 0 ? null : List.of(env.schemes()),
        env.values().length == 0 ? null : List.of(env.values()),
        null,
        enumType);
  }

  private static ValueType<?> inferred(Class<?> raw, Env env) {
    ValueType.Options options = options(env, raw);
    String name;
    if (raw == String.class) {
      name = options.values() != null ? "enum" : "string";
    } else if (raw == Integer.class) {
      name = "integer";
    } else if (raw == Boolean.class) {
      name = "boolean";
    } else if (raw == Duration.class) {
      name = "duration";
    } else if (raw == URI.class) {
      name = "uri";
    } else if (raw.isEnum()) {
      name = "enum";
    } else if (raw == Secret.class) {
      name = "secret";
    } else if (raw == KeyList.class) {
      name = "key-list";
    } else {
      throw new IllegalArgumentException(
          raw.getName()
              + " is not a supported setting type; use String, int, boolean, Duration, URI, an"
              + " enum, List, Secret, KeyList, or Optional of one of these");
    }
    return ValueType.named(name, options);
  }

  private static Type typeArgument(Type type, String what) {
    if (type instanceof ParameterizedType) {
      Type argument = ((ParameterizedType) type).getActualTypeArguments()[0];
      if (argument instanceof Class || argument instanceof ParameterizedType) {
        return argument;
      }
    }
    throw new IllegalArgumentException(what + " needs a concrete type argument");
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    return (Class<?>) ((ParameterizedType) type).getRawType();
  }

  private static Class<?> box(Class<?> type) {
    if (type == int.class) {
      return Integer.class;
    } else if (type == boolean.class) {
      return Boolean.class;
    } else if (type.isPrimitive()) {
      throw new IllegalArgumentException(
          type.getName() + " is not a supported setting type; use int or boolean");
    }
    return type;
  }

  /**
   * {@code requestTimeout} to {@code REQUEST_TIMEOUT}, {@code databaseURL} to {@code DATABASE_URL}.
   */
  static String upperSnake(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        char before = name.charAt(i - 1);
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(before)
            || Character.isDigit(before)
            || (Character.isUpperCase(before) && nextLower)) {
          out.append('_');
        }
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Setting<?> s : settings) {
      names.add(s.name());
    }
    return "RecordBinding[" + type.getSimpleName() + ": " + names + "]";
  }
}
