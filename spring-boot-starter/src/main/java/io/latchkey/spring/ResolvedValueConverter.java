package io.latchkey.spring;

import io.latchkey.Secret;
import java.util.Set;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConverterRegistry;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Converts a {@link ResolvedValue} by resolving it: to a {@link Secret} directly, to a {@code
 * String} or {@code char[]} as its text, to anything else by converting that text. Which properties
 * may be bound to a {@code String} is checked by {@link PlainStringBindHandler}, not here:
 * {@code @Value} and {@code Environment.getProperty} read strings by design.
 */
final class ResolvedValueConverter implements GenericConverter {
  private final ConversionService delegate;

  ResolvedValueConverter(ConversionService delegate) {
    this.delegate = delegate;
  }

  /**
   * Teaches {@code registry} to turn a resolved value into a {@link Secret}, a {@code String} or,
   * through {@code service}, any type a string converts to, and a plain value into a {@code
   * Secret}, unless it knows already.
   *
   * @throws UnsupportedOperationException if the registry is unmodifiable
   */
  static void register(ConverterRegistry registry, ConversionService service) {
    if (service.canConvert(ResolvedValue.class, Secret.class)) {
      return;
    }
    registry.addConverter(new ResolvedValueConverter(service));
    registry.addConverter(String.class, Secret.class, Secret::of);
  }

  @Override
  public Set<ConvertiblePair> getConvertibleTypes() {
    return Set.of(new ConvertiblePair(ResolvedValue.class, Object.class));
  }

  @Override
  public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
    if (source == null) {
      return null;
    }
    ResolvedValue value = (ResolvedValue) source;
    Class<?> target = targetType.getType();
    if (target == Secret.class) {
      return value.secret();
    }
    if (target == char[].class) {
      return value.text().toCharArray();
    }
    String text = value.text();
    if (target == String.class || target == CharSequence.class || target == Object.class) {
      return text;
    }
    try {
      return delegate.convert(text, TypeDescriptor.valueOf(String.class), targetType);
    } catch (RuntimeException e) {
      // The conversion's message quotes the text it could not convert: the secret.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new IllegalArgumentException(
          "the value of secret "
              + value.property().ref()
              + " does not convert to "
              + targetType
              + " ("
              + root.getClass().getName()
              + ")");
    }
  }
}
