package io.latchkey.microprofile;

import io.latchkey.Secret;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converts a property to a {@link Secret}, so that {@code config.getValue("db.password",
 * Secret.class)} and {@code @ConfigProperty(name = "db.password") Secret password} work and the
 * value prints masked; found through {@link java.util.ServiceLoader}.
 *
 * <p>The value it receives is the one the config resolved: with {@link SecretReferences} in place,
 * a property written {@code ref+aws:prod/db#password} arrives here as the secret itself. An empty
 * value converts to nothing, which MicroProfile reports as a missing or empty property.
 *
 * <h2>Security</h2>
 *
 * <p>It never throws with the value in its message (it never throws at all), and refuses Java
 * serialisation.
 *
 * @since 0.2
 */
public final class SecretConverter implements Converter<Secret> {
  private static final long serialVersionUID = 1L;

  /** Creates the converter, as {@link java.util.ServiceLoader} does. */
  public SecretConverter() {}

  /**
   * Wraps the value.
   *
   * @param value the property's value
   * @return the secret, or {@code null} (MicroProfile's "no value") if {@code value} is empty
   * @throws NullPointerException if {@code value} is null, as the MicroProfile contract asks
   */
  @Override
  public Secret convert(String value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    return value.isEmpty() ? null : Secret.of(value);
  }

  private void writeObject(ObjectOutputStream out) throws NotSerializableException {
    throw new NotSerializableException(getClass().getName());
  }
}
