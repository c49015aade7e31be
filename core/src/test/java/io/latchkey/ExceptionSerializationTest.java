package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Latchkey exception is a {@link RuntimeException}, hence {@link java.io.Serializable}, and
 * declares a {@code serialVersionUID}, so that a remote call, a session or a job framework can ship
 * it: ConfigException too, whose problems hold only names and reasons (never a value).
 */
final class ExceptionSerializationTest {

  private static Object roundTrip(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void configException_roundTripsThroughJavaSerialisation_likeTheOtherLatchkeyExceptions()
      throws Exception {
    // The sibling exceptions serialise (a remote call, a session, a job framework ships them).
    assertThat(roundTrip(new SecretNotFoundException(SecretRef.parse("aws:prod/db"), "no such")))
        .isInstanceOf(SecretNotFoundException.class);

    ConfigException e =
        new ConfigException(
            List.of(
                new ConfigException.Problem("HTTP_PORT", "is not set"),
                new ConfigException.Problem("JWT_SECRET_KEY", "is not set")));

    Object back = roundTrip(e);

    assertThat(back).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) back).problems()).isEqualTo(e.problems());
    assertThat(((ConfigException) back).getMessage()).isEqualTo(e.getMessage());
  }
}
