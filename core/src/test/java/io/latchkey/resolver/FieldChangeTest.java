package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A field's version is its whole secret's: a new version of the secret that kept a field's value
 * (the password rotated, the user name kept) is news for the fields that changed only, so a pool is
 * not evicted twice and no rotation event is published for a value that stayed.
 */
final class FieldChangeTest {

  @Test
  void aNewVersionOfTheWholeSecret_isToldForTheFieldsWhoseValueChangedOnly() {
    FakeProvider fake =
        new FakeProvider("fake").put("db", "{\"user\":\"app\",\"password\":\"p1\"}");
    try (SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(new MutableClock())
            .timeout(Duration.ofMinutes(10))
            .build()) {
      SecretRef user = SecretRef.parse("fake:db#user");
      SecretRef password = SecretRef.parse("fake:db#password");
      r.resolve(user);
      r.resolve(password);
      List<String> told = new CopyOnWriteArrayList<>();
      r.addListener((ref, before, after) -> told.add(ref + " " + before + " -> " + after));

      fake.put("db", "{\"user\":\"app\",\"password\":\"p2\"}");
      fake.announceChange();

      assertThat(told).containsExactly("fake:db#password Optional[v1] -> Optional[v2]");
      assertThat(r.resolve(user).reveal()).isEqualTo("app");
      assertThat(r.resolve(password).reveal()).isEqualTo("p2");
    }
  }
}
