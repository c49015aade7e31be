package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TokenFormatTest {

  @Test
  void detect_tellsTokensOfEitherFormatFromPlaintexts() {
    String fernet = FernetKeyRing.of(FernetKey.generate()).encrypt(new byte[100]);
    String aes = AesGcmKeyRing.of(AesGcmKey.generate()).encrypt(new byte[0]);
    assertThat(TokenFormat.detect(fernet)).contains(TokenFormat.FERNET);
    assertThat(TokenFormat.detect(aes)).contains(TokenFormat.AES_GCM);
    // Anything framed as a token counts as one, authentic or not: it is never encrypted over.
    assertThat(TokenFormat.detect("lk.garbage")).contains(TokenFormat.AES_GCM);
    for (String plain :
        List.of(
            "",
            "hunter2",
            "sk-live-0123456789",
            "gAAAAAB",
            fernet.substring(0, fernet.length() - 4),
            fernet.replace("=", ""),
            "postgres://user:pw@host/db")) {
      assertThat(TokenFormat.detect(plain)).as(plain).isEmpty();
    }
  }

  @Test
  void of_namesBothFormats() {
    assertThat(TokenFormat.of("fernet")).isEqualTo(TokenFormat.FERNET);
    assertThat(TokenFormat.of(" AES-GCM ")).isEqualTo(TokenFormat.AES_GCM);
    assertThat(TokenFormat.AES_GCM.id()).isEqualTo("aes-gcm");
    assertThatThrownBy(() -> TokenFormat.of("aes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fernet or aes-gcm");
  }
}
