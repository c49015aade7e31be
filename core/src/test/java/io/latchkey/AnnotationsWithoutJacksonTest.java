package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The {@code @JsonValue} on the types that hold values needs no Jackson at run time: where it is
 * absent, the classes load and work, and reflection sees no annotation.
 */
final class AnnotationsWithoutJacksonTest {

  @Test
  void valueHolders_withoutJacksonOnTheClassPath_loadAndMask() throws Exception {
    URL core = Secret.class.getProtectionDomain().getCodeSource().getLocation();
    URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {core, slf4j}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("com.fasterxml.jackson.annotation.JsonValue"))
          .isInstanceOf(ClassNotFoundException.class);

      Class<?> secret = loader.loadClass("io.latchkey.Secret");
      Object value = secret.getMethod("of", String.class).invoke(null, "CANARY-0a1b2c3d4e");
      assertThat(value).hasToString("***");
      assertThat(secret.getMethod("toString").getAnnotations()).isEmpty();

      Class<?> origin = loader.loadClass("io.latchkey.config.Origin");
      Class<?> kind = loader.loadClass("io.latchkey.config.Origin$Kind");
      Object env = origin.getMethod("of", kind).invoke(null, kind.getEnumConstants()[0]);
      Class<?> configValue = loader.loadClass("io.latchkey.config.ConfigValue");
      Object raw =
          configValue
              .getConstructor(String.class, String.class, origin)
              .newInstance("API_KEY", "CANARY-0a1b2c3d4e", env);
      assertThat(raw.toString()).startsWith("ConfigValue[name=API_KEY").doesNotContain("CANARY");
      assertThat(configValue.getMethod("toString").getAnnotations()).isEmpty();

      for (String name :
          new String[] {"io.latchkey.spi.SecretVersion", "io.latchkey.config.Config"}) {
        assertThat(loader.loadClass(name).getMethod("toString").getAnnotations()).isEmpty();
      }
    }
  }
}
