package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@code Error} from the constructor of a record being bound, once every setting has loaded, is
 * an {@code IllegalStateException} naming the record and the throwable's class (security.md,
 * "Values derived from secrets"): its message, which may quote a value, is not carried out.
 */
final class RecordConstructorErrorTest {
  record Server(@Env("PORT") int port) {
    Server {
      if (port == 8080) {
        throw new AssertionError("port " + port + " is reserved");
      }
    }
  }

  @Test
  void recordConstructorError_duringALoad_isNamedByItsClassOnly() {
    Throwable thrown =
        catchThrowable(
            () ->
                ConfigSchema.load(
                    Server.class, ConfigSource.of(Map.of("PORT", "8080"), Origin.Kind.ENV)));
    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Server.class.getName())
        .hasMessageContaining(AssertionError.class.getName())
        .hasNoCause();
    assertThat(thrown.getMessage()).doesNotContain("reserved").doesNotContain("8080");
  }
}
