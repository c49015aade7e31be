package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code FernetKeyRing.read(path)} and {@code AesGcmKeyRing.read(path)} never show a path that
 * looks like a key in a failure to read it: not only when it does not exist, but also when a key
 * list passed as the path (the value of {@code APP_KEY_PREVIOUS}, a few comma-separated keys) is
 * longer than a file name may be, and the system answers "file name too long".
 */
final class KeyFilePathLeakTest {

  private static String keyList(int keys, boolean aes) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      list.add(
          aes ? AesGcmKey.generate().encoded().reveal() : FernetKey.generate().encoded().reveal());
    }
    return String.join(",", list);
  }

  @Test
  void fernetRead_keyListPassedAsThePath_isNotShown() {
    String previousKeys = keyList(6, false); // 6 * 45 - 1 = 269 bytes: past NAME_MAX (255)
    Throwable thrown = catchThrowable(() -> FernetKeyRing.read(Path.of(previousKeys)));

    assertThat(thrown).isInstanceOf(ConfigException.class);
    assertThat(thrown.getMessage())
        .as("the problem for a key list given where the key file's path belongs")
        .doesNotContain(previousKeys.substring(0, 44));
  }

  @Test
  void aesGcmRead_keyListPassedAsThePath_isNotShown() {
    String previousKeys = keyList(6, true);
    Throwable thrown = catchThrowable(() -> AesGcmKeyRing.read(Path.of(previousKeys)));

    assertThat(thrown).isInstanceOf(ConfigException.class);
    assertThat(thrown.getMessage())
        .as("the problem for a key list given where the key file's path belongs")
        .doesNotContain(previousKeys.substring(0, 48));
  }
}
