package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.beans.SimpleTypeConverter;
import org.springframework.beans.TypeConverter;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.TypeDescriptor;

/**
 * The bean factory's type converter under the starter: converts exactly as the factory's default
 * one does (a {@link SimpleTypeConverter} on the factory's conversion service and editors, built
 * per call since it is not thread-safe), and keeps a secret out of the failure when a conversion
 * fails.
 *
 * <p>{@code @Value("${partner.token}") int port} injects the resolved text, so Spring's conversion
 * failure quotes it ({@code For input string: "…"}) in its message, in its cause's, and in the
 * start-up log line that reports it. When the value or any message of the failure holds the value
 * of a secret read as text, this throws a {@link TypeMismatchException} that names the property,
 * the reference and the target type instead, with no cause.
 */
final class SecretTypeConverter implements TypeConverter {
  private final ConfigurableBeanFactory beanFactory;
  private final LatchkeyRuntime runtime;

  SecretTypeConverter(ConfigurableBeanFactory beanFactory, LatchkeyRuntime runtime) {
    this.beanFactory = requireNonNull(beanFactory, "beanFactory");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /**
   * Gives the bean factory this converter, unless the application set its own: then its choice
   * stands (its converter may quote a secret).
   */
  static void install(ConfigurableBeanFactory beanFactory, LatchkeyRuntime runtime) {
    // Without a converter of its own the factory returns a new one on every call.
    TypeConverter first = beanFactory.getTypeConverter();
    if (first != beanFactory.getTypeConverter()) {
      beanFactory.setTypeConverter(new SecretTypeConverter(beanFactory, runtime));
    }
  }

  @Override
  public <T> T convertIfNecessary(Object value, Class<T> requiredType) {
    return convert(value, requiredType, c -> c.convertIfNecessary(value, requiredType));
  }

  @Override
  public <T> T convertIfNecessary(
      Object value, Class<T> requiredType, MethodParameter methodParam) {
    return convert(
        value, requiredType, c -> c.convertIfNecessary(value, requiredType, methodParam));
  }

  @Override
  public <T> T convertIfNecessary(Object value, Class<T> requiredType, Field field) {
    return convert(value, requiredType, c -> c.convertIfNecessary(value, requiredType, field));
  }

  @Override
  public <T> T convertIfNecessary(
      Object value, Class<T> requiredType, TypeDescriptor typeDescriptor) {
    Class<?> target =
        requiredType == null && typeDescriptor != null ? typeDescriptor.getType() : requiredType;
    return convert(value, target, c -> c.convertIfNecessary(value, requiredType, typeDescriptor));
  }

  private <T> T convert(
      Object value, Class<?> requiredType, Function<SimpleTypeConverter, T> conversion) {
    SimpleTypeConverter converter = new SimpleTypeConverter();
    converter.setConversionService(beanFactory.getConversionService());
    beanFactory.copyRegisteredEditorsTo(converter);
    try {
      return conversion.apply(converter);
    } catch (RuntimeException e) {
      SecretRef ref = secretIn(value, e);
      if (ref == null) {
        throw e;
      }
      throw masked(ref, requiredType, e);
    }
  }

  /** Looks for a secret's text in the value and in every message of the failure. */
  private SecretRef secretIn(Object value, Throwable failure) {
    List<String> texts = new ArrayList<>();
    texts.add(String.valueOf(value));
    texts.addAll(FailureTexts.of(failure));
    for (String text : texts) {
      SecretRef ref = runtime.secretIn(text);
      if (ref != null) {
        return ref;
      }
    }
    return null;
  }

  private TypeMismatchException masked(SecretRef ref, Class<?> requiredType, Throwable failure) {
    Throwable root = FailureTexts.root(failure);
    String subject = "a value holding " + runtime.described(ref);
    String target = requiredType == null ? "the required type" : requiredType.getTypeName();
    // The reason alone, as a message with no cause: any exception of the original chain quotes
    // the text.
    IllegalArgumentException reason =
        new IllegalArgumentException(
            subject
                + " does not convert to "
                + target
                + " ("
                + root.getClass().getName()
                + "); the text is not shown, since it holds a secret");
    reason.setStackTrace(failure.getStackTrace());
    return new TypeMismatchException("ref+" + ref + " (secret)", requiredType, reason);
  }
}
