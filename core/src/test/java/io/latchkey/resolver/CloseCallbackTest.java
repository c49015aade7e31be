package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} withdraws each provider's change callback first; a provider whose {@code
 * removeOnChange} fails, with an {@code Error} as much as an exception, stops none of the rest of
 * {@code close()} (docs/secrets.md), and what it threw is not carried out.
 */
final class CloseCallbackTest {
  @Test
  void close_whenAProviderFailsToWithdrawItsCallbackWithAnError_stillClosesEverythingElse() {
    FakeProvider failing =
        new FakeProvider("a") {
          @Override
          public void removeOnChange(Runnable callback) {
            throw new AssertionError("callback not registered: value-of-the-db-password");
          }
        }.put("db", "value-of-the-db-password");
    FakeProvider other = new FakeProvider("b").put("db", "value-of-the-other-password");
    SecretResolver resolver =
        SecretResolver.builder()
            .provider(failing)
            .provider(other)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .build();
    assertThat(resolver.resolve(SecretRef.parse("b:db")).reveal())
        .isEqualTo("value-of-the-other-password");

    assertThatCode(resolver::close)
        .as("close() with a provider whose removeOnChange throws an Error")
        .doesNotThrowAnyException();
    assertThat(other.changeCallbackCount())
        .as("the other provider's callback is withdrawn too")
        .isZero();
    assertThatThrownBy(() -> resolver.resolve(SecretRef.parse("b:db")))
        .isInstanceOf(IllegalStateException.class);
  }
}
