package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.testsupport.Leaks;
import java.beans.PropertyEditorSupport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.SimpleTypeConverter;
import org.springframework.beans.TypeConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.CustomEditorConfigurer;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A resolved secret converted to a type other than text: {@code @Value} injects the resolved text,
 * and Spring's conversion failure would quote it; the starter's type converter names the property,
 * the reference and the type instead, everywhere the failure shows (the exception chain and the
 * start-up log), and converts exactly as Spring does otherwise.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ValueConversionTest {
  /** Converts to none of the types below, and has characters that URL and JSON forms encode. */
  private static final String CANARY = "canary-Zq8x Yt+42%pLmN0wRv/\u00e9";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY).put("port", "8443");
  }

  static Stream<Class<?>> valueTargets() {
    return Stream.of(
        IntConstructor.class,
        DurationField.class,
        UriField.class,
        EnumField.class,
        BooleanField.class,
        CustomTypeField.class,
        TemplateIntField.class);
  }

  @ParameterizedTest
  @MethodSource("valueTargets")
  void valueAnnotation_failedConversion_namesPropertyReferenceAndType_neverTheText(
      Class<?> app, CapturedOutput output) {
    Throwable thrown =
        catchThrowable(
            () -> TestApps.of(app).property("partner.token", "ref+test:partner").run().close());

    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak(thrown, CANARY);
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
    assertThat(String.join("\n", Leaks.texts(thrown)))
        .contains("property partner.token (secret test:partner) does not convert to");
  }

  @Test
  void environmentGetProperty_failedConversion_namesReferenceAndType_neverTheText() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.token", "ref+test:partner").run()) {
      Environment environment = context.getEnvironment();
      for (Class<?> type : List.of(Integer.class, Duration.class, URI.class, Port.class)) {
        Throwable thrown = catchThrowable(() -> environment.getProperty("partner.token", type));

        assertThat(thrown).as(type.getName()).isNotNull();
        Leaks.assertNoLeak(thrown, CANARY);
        assertThat(String.join("\n", Leaks.texts(thrown)))
            .contains("secret test:partner does not convert to");
      }
    }
  }

  @Test
  void valueAnnotation_convertsAsSpringDoes_editorsIncluded() {
    try (ConfigurableApplicationContext context =
        TestApps.of(ConvertingApp.class).property("partner.port", "ref+test:port").run()) {
      ConvertingApp app = context.getBean(ConvertingApp.class);

      assertThat(app.port).isEqualTo(8443);
      assertThat(app.edited.text()).isEqualTo("edited:8443");
    }
  }

  @Test
  void applicationTypeConverter_isKept() {
    TypeConverter own = new SimpleTypeConverter();
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .initializer(c -> c.getBeanFactory().setTypeConverter(own))
            .run()) {
      assertThat(context.getBeanFactory().getTypeConverter()).isSameAs(own);
    }
  }

  enum Mode {
    ON,
    OFF
  }

  /** A type Spring converts through its factory method, whose failure quotes its input. */
  public record Port(String text) {
    public Port {
      if (!text.startsWith("edited:") && !text.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not a port: " + text);
      }
    }

    public static Port valueOf(String text) {
      return new Port(text);
    }
  }

  /** An editor the application registers for {@link Port}: it must still apply. */
  static final class PrefixingPortEditor extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
      setValue(new Port("edited:" + text));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class IntConstructor {
    IntConstructor(@Value("${partner.token}") int port) {}
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class DurationField {
    @Value("${partner.token}")
    Duration timeout;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class UriField {
    @Value("${partner.token}")
    URI uri;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class EnumField {
    @Value("${partner.token}")
    Mode mode;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class BooleanField {
    @Value("${partner.token}")
    boolean enabled;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class CustomTypeField {
    @Value("${partner.token}")
    Port port;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class TemplateIntField {
    @Value("443${partner.token}")
    int port;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ConvertingApp {
    @Value("${partner.port}")
    int port;

    @Value("${partner.port}")
    Port edited;

    @Bean
    static CustomEditorConfigurer portEditor() {
      CustomEditorConfigurer configurer = new CustomEditorConfigurer();
      configurer.setCustomEditors(Map.of(Port.class, PrefixingPortEditor.class));
      return configurer;
    }
  }
}
