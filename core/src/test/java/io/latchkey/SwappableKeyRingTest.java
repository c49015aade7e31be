package io.latchkey;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SwappableKeyRingTest {

  /** A transparent test ring: "encrypts" by prefixing its name, so calls are traceable. */
  private record NamedRing(String name) implements KeyRing {
    @Override
    public String encrypt(byte[] plaintext) {
      return name + ":" + new String(plaintext, UTF_8);
    }

    @Override
    public byte[] decrypt(String token) {
      if (!token.startsWith(name + ":")) {
        throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_KEY_OR_TAMPERED);
      }
      return token.substring(name.length() + 1).getBytes(UTF_8);
    }

    @Override
    public byte[] decrypt(String token, Duration ttl) {
      return decrypt(token);
    }

    @Override
    public String rotate(String token) {
      return name + ":" + token.substring(token.indexOf(':') + 1);
    }

    @Override
    public boolean isPrimary(String token) {
      return token.startsWith(name + ":");
    }

    @Override
    public String primaryKeyId() {
      return name;
    }

    @Override
    public List<String> keyIds() {
      return List.of(name);
    }
  }

  @Test
  void swap_routesLaterCallsToTheNewRing() {
    SwappableKeyRing ring = SwappableKeyRing.of(new NamedRing("a"));
    assertThat(ring.encrypt("x".getBytes(UTF_8))).isEqualTo("a:x");
    KeyRing old = ring.swap(new NamedRing("b"));
    assertThat(old.primaryKeyId()).isEqualTo("a");
    assertThat(ring.encrypt("x".getBytes(UTF_8))).isEqualTo("b:x");
    assertThat(ring.rotate("a:x")).isEqualTo("b:x");
    assertThat(ring.isPrimary("b:x")).isTrue();
    assertThat(ring.keyIds()).containsExactly("b");
    assertThat(ring.decrypt("b:y", Duration.ofSeconds(1))).asString(UTF_8).isEqualTo("y");
  }

  @Test
  void of_swappable_unwrapsSoSwapsCannotBeBypassed() {
    SwappableKeyRing inner = SwappableKeyRing.of(new NamedRing("a"));
    SwappableKeyRing outer = SwappableKeyRing.of(inner);
    assertThat(outer.current()).isInstanceOf(NamedRing.class);
    outer.swap(SwappableKeyRing.of(new NamedRing("c")));
    assertThat(outer.current()).isEqualTo(new NamedRing("c"));
  }

  @Test
  void secretDefaults_wipeTheirTemporaryCopies() {
    KeyRing ring = new NamedRing("a");
    Secret s = Secret.of("hunter2");
    String token = ring.encrypt(s);
    assertThat(ring.decryptSecret(token).reveal()).isEqualTo("hunter2");
    assertThat(ring.decryptSecret(token).toString()).isEqualTo("***");
  }
}
