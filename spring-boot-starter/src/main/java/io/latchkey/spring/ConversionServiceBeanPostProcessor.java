package io.latchkey.spring;

import io.latchkey.ConfigException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.ConverterRegistry;

/**
 * Gives the application's own {@code conversionService} bean the starter's converters. When there
 * is such a bean, Spring Boot binds {@code @ConfigurationProperties} with it alone (and the bean
 * factory converts {@code @Value} with it), not with the environment's conversion service that the
 * starter extends; without the converters no {@code Secret} property would bind. A bean that cannot
 * take them fails start-up, naming the bean and what to do.
 */
final class ConversionServiceBeanPostProcessor implements BeanPostProcessor {
  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    // After initialisation, so that a factory bean's product is seen too; the starter registers
    // this before any other post-processor, so it sees the service before a proxy hides it.
    if (!ConfigurableApplicationContext.CONVERSION_SERVICE_BEAN_NAME.equals(beanName)
        || !(bean instanceof ConversionService service)) {
      return bean;
    }
    if (bean instanceof ConverterRegistry registry) {
      try {
        ResolvedValueConverter.register(registry, service);
        return bean;
      } catch (UnsupportedOperationException e) {
        // An unmodifiable service, such as ApplicationConversionService's shared instance.
      }
    }
    throw new ConfigException(
        "bean " + beanName + " (" + bean.getClass().getName() + ")",
        "Spring Boot binds @ConfigurationProperties with the application's bean named "
            + beanName
            + " alone, and this one cannot take Latchkey's converters (it is not a modifiable"
            + " ConverterRegistry), so no Secret property would bind: make it one (such as a"
            + " DefaultFormattingConversionService or a new ApplicationConversionService), or"
            + " give the bean another name");
  }
}
