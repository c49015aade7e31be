package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} drops every value the resolver held (docs/secrets.md), the entry each of its
 * handles last read included: an application keeps handles (a pool's password supplier), and an old
 * pool may outlive the resolver on a configuration reload.
 */
final class HandleAfterCloseTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");

  @Test
  void close_dropsTheValueAHandleHeld() throws Exception {
    FakeProvider provider = new FakeProvider("fake").put("db", "value-of-the-db-password");
    SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .build();
    SecretHandle handle = resolver.handle(DB);
    assertThat(handle.get().reveal()).isEqualTo("value-of-the-db-password");

    resolver.close();
    assertThatThrownBy(handle::get).isInstanceOf(IllegalStateException.class);

    assertThat(heldValue(handle))
        .as("the value a handle of the closed resolver still holds")
        .isNull();
  }

  /** The value of the entry the handle keeps, or null when it keeps none. */
  private static String heldValue(SecretHandle handle) throws Exception {
    Field seenField = SecretHandle.class.getDeclaredField("seen");
    seenField.setAccessible(true);
    Object seen = seenField.get(handle);
    if (seen == null) {
      return null;
    }
    Method entry = seen.getClass().getDeclaredMethod("entry");
    entry.setAccessible(true);
    return ((Entry) entry.invoke(seen)).value().reveal();
  }
}
