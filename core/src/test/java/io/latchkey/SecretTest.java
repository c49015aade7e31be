package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SecretTest {
  private static final String CANARY = "CANARY-9f8e7d6c5b4a3928-secret";

  @Test
  void reveal_returnsTheValue() {
    Secret s = Secret.of("pässwörd");
    assertThat(s.reveal()).isEqualTo("pässwörd");
    assertThat(s.revealBytes()).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8));
    assertThat(s.isEmpty()).isFalse();
    assertThat(Secret.of("").isEmpty()).isTrue();
  }

  @Test
  void ofBytes_copiesTheCallersArray() {
    byte[] mine = {1, 2, 3};
    Secret s = Secret.ofBytes(mine);
    mine[0] = 9;
    assertThat(s.revealBytes()).containsExactly(1, 2, 3);
    s.revealBytes()[1] = 9;
    assertThat(s.revealBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void toString_isMasked() {
    assertThat(Secret.of(CANARY).toString()).isEqualTo("***");
    assertThat(Secret.of("hunter2").toString()).isEqualTo("***");
    assertThat(Secret.of("").toString()).isEqualTo("***");
  }

  @Test
  void toString_showsAWellKnownPrefixOnlyOnLongValues() {
    assertThat(Secret.of("sk-proj-abcdefghijklmnopqrstuvwxyz012345").toString())
        .isEqualTo("sk-proj-...***");
    assertThat(Secret.of("sk-abcdefghijklmnopqrstuvwxyz").toString()).isEqualTo("sk-...***");
    assertThat(Secret.of("ghp_0123456789abcdefghijklmnop").toString()).isEqualTo("ghp_...***");
    // Too short: the prefix would tell too much of what is left.
    assertThat(Secret.of("sk-short").toString()).isEqualTo("***");
    // A random string that happens to start with letters and a dash shows nothing.
    assertThat(Secret.of("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=").toString())
        .isEqualTo("***");
  }

  @Test
  void equals_isIdentityNotContent() {
    Secret a = Secret.of(CANARY);
    Secret b = Secret.of(CANARY);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.matches(b)).isTrue();
    assertThat(a.matches(Secret.of(CANARY + "x"))).isFalse();
  }

  @Test
  void wipe_zeroesAndBlocksFurtherReads() {
    Secret s = Secret.of(CANARY);
    s.wipe();
    assertThat(s.isWiped()).isTrue();
    assertThatThrownBy(s::reveal)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("secret has been wiped");
    assertThatThrownBy(s::revealBytes).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.matches(Secret.of("x"))).isInstanceOf(IllegalStateException.class);
    assertThat(s.toString()).isEqualTo("***");
  }

  @Test
  void javaSerialization_isRefused() throws Exception {
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      assertThatThrownBy(() -> out.writeObject(Secret.of(CANARY)))
          .isInstanceOf(NotSerializableException.class)
          .hasMessageNotContaining(CANARY);
    }
  }

  @Test
  void jackson_neverWritesTheValue() throws Exception {
    // @JsonValue: a mapper writes the mask, not the isWiped/isEmpty getters nor the fields.
    String json = new ObjectMapper().writeValueAsString(Map.of("apiKey", Secret.of(CANARY)));
    assertThat(json).doesNotContain(CANARY).isEqualTo("{\"apiKey\":\"***\"}");
  }

  @Test
  void nulls_areRejectedWithTheParameterName() {
    assertThatThrownBy(() -> Secret.of(null)).hasMessage("value");
    assertThatThrownBy(() -> Secret.ofBytes(null)).hasMessage("value");
    assertThatThrownBy(() -> Secret.of("x").matches(null)).hasMessage("other");
  }
}
