package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.format.support.DefaultFormattingConversionService;

/**
 * An application bean named {@code conversionService}, which Spring Boot then binds
 * {@code @ConfigurationProperties} with alone: the starter gives it its converters, so {@code
 * Secret} properties still bind, or fails start-up naming the bean when it cannot take them.
 */
@ExtendWith(OutputCaptureExtension.class)
final class UserConversionServiceTest {
  private static final String CANARY = "canary-Zq8xYt42pLmN0wRv";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void converterRegistryBean_secretPropertiesBind() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithRegistry.class)
            .property("partner.token", "ref+test:partner")
            .property("partner.plain", "not-a-reference")
            .run()) {
      SecretRecord bound = context.getBean(SecretRecord.class);

      assertThat(bound.token().reveal()).isEqualTo(CANARY);
      assertThat(bound.plain().reveal()).isEqualTo("not-a-reference");
      assertThat(context.getBean(WithRegistry.class).injected.reveal()).isEqualTo(CANARY);
    }
  }

  @Test
  void beanThatCannotTakeConverters_failsStartUp_namingItAndWhatToDo(CapturedOutput output) {
    Throwable thrown =
        catchThrowable(
            () ->
                TestApps.of(WithPlainService.class)
                    .property("partner.token", "ref+test:partner")
                    .run()
                    .close());

    assertThat(thrown).hasRootCauseInstanceOf(ConfigException.class);
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("bean conversionService (" + PlainService.class.getName() + ")")
        .contains("it is not a modifiable ConverterRegistry")
        .contains("give the bean another name");
    Leaks.assertNoLeak(thrown, CANARY);
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @ConfigurationProperties("partner")
  record SecretRecord(Secret token, Secret plain) {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(SecretRecord.class)
  static class WithRegistry {
    @Value("${partner.token}")
    Secret injected;

    @Bean
    static ConversionService conversionService() {
      return new DefaultFormattingConversionService();
    }
  }

  /** A conversion service that is not a {@code ConverterRegistry}. */
  static final class PlainService implements ConversionService {
    private final ConversionService delegate = new DefaultConversionService();

    @Override
    public boolean canConvert(Class<?> sourceType, Class<?> targetType) {
      return delegate.canConvert(sourceType, targetType);
    }

    @Override
    public boolean canConvert(TypeDescriptor sourceType, TypeDescriptor targetType) {
      return delegate.canConvert(sourceType, targetType);
    }

    @Override
    public <T> T convert(Object source, Class<T> targetType) {
      return delegate.convert(source, targetType);
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
      return delegate.convert(source, sourceType, targetType);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(SecretRecord.class)
  static class WithPlainService {
    @Bean
    static ConversionService conversionService() {
      return new PlainService();
    }
  }
}
