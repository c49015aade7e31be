package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Jackson is optional: in a class loader that holds only the core classes and the SLF4J API, the
 * builder, loading, the report and the docs all work, the JSON reader is never loaded, and {@code
 * fromJson} says what to add.
 */
final class WithoutJacksonTest {

  /** Sees the core classes and slf4j-api, and nothing of the test class path. */
  private static final class IsolatedLoader extends URLClassLoader {
    IsolatedLoader(URL... urls) {
      super(urls, ClassLoader.getPlatformClassLoader());
    }

    boolean hasLoaded(String name) {
      return findLoadedClass(name) != null;
    }
  }

  private static IsolatedLoader isolated() {
    URL core = ConfigSchema.class.getProtectionDomain().getCodeSource().getLocation();
    URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
    assertThat(core.getPath()).endsWith("/classes/");
    return new IsolatedLoader(core, slf4j);
  }

  private static Object call(Object target, String method, Class<?>[] types, Object... args)
      throws ReflectiveOperationException {
    Class<?> type = target instanceof Class ? (Class<?>) target : target.getClass();
    Method m = type.getMethod(method, types);
    return m.invoke(target instanceof Class ? null : target, args);
  }

  @Test
  void builderLoadReportAndDocs_workWithoutJackson() throws Exception {
    try (IsolatedLoader loader = isolated()) {
      assertThatThrownBy(() -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
          .isInstanceOf(ClassNotFoundException.class);

      Class<?> settingType = loader.loadClass("io.latchkey.config.Setting");
      Class<?> schemaType = loader.loadClass("io.latchkey.config.ConfigSchema");
      Class<?> sourceType = loader.loadClass("io.latchkey.config.ConfigSource");
      Class<?> kindType = loader.loadClass("io.latchkey.config.Origin$Kind");
      assertThat(settingType.getClassLoader()).isSameAs(loader);

      Object portBuilder = call(settingType, "port", new Class<?>[] {String.class}, "PORT");
      call(portBuilder, "defaultText", new Class<?>[] {String.class}, "8080");
      Object port = call(portBuilder, "build", new Class<?>[0]);
      Object keyBuilder = call(settingType, "secret", new Class<?>[] {String.class}, "API_KEY");
      Object key = call(keyBuilder, "build", new Class<?>[0]);
      Object schemaBuilder = call(schemaType, "builder", new Class<?>[0]);
      call(schemaBuilder, "add", new Class<?>[] {settingType}, port);
      call(schemaBuilder, "add", new Class<?>[] {settingType}, key);
      Object schema = call(schemaBuilder, "build", new Class<?>[0]);
      Object env = kindType.getEnumConstants()[0];
      Object source =
          call(
              sourceType,
              "of",
              new Class<?>[] {Map.class, kindType},
              Map.of("PORT", "9090", "API_KEY", "k"),
              env);

      Object config = call(schema, "load", new Class<?>[] {sourceType}, source);
      assertThat(call(config, "get", new Class<?>[] {settingType}, port)).isEqualTo(9090);
      Object report = call(config, "report", new Class<?>[0]);
      assertThat(call(report, "toTable", new Class<?>[0]))
          .asString()
          .contains("PORT")
          .contains("9090");
      Class<?> docs = loader.loadClass("io.latchkey.config.ConfigDocs");
      assertThat(call(docs, "markdown", new Class<?>[] {schemaType}, schema))
          .asString()
          .contains("`PORT`");

      assertThat(loader.hasLoaded("io.latchkey.config.JsonSchemaReader")).isFalse();

      assertThatThrownBy(() -> call(schemaType, "fromJson", new Class<?>[] {String.class}, "{}"))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .satisfies(
              e -> assertThat(e.getClass().getName()).isEqualTo("io.latchkey.LatchkeyException"))
          .hasMessageStartingWith(
              "reading a JSON schema needs Jackson: add"
                  + " com.fasterxml.jackson.core:jackson-databind");
      assertThat(loader.hasLoaded("io.latchkey.config.JsonSchemaReader")).isFalse();
    }
  }
}
