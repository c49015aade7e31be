package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import java.util.function.Supplier;

/** The reason a call rejected a token for, after checking that the message is the fixed one. */
final class Reasons {
  private Reasons() {}

  static Reason of(Supplier<?> call) {
    try {
      var unused = call.get();
    } catch (InvalidTokenException e) {
      assertThat(e).hasMessage(e.reason().message());
      return e.reason();
    }
    throw new AssertionError("no InvalidTokenException");
  }
}
