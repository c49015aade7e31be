package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Version ids from content: stable within one instance, distinct for distinct content, keyed (so
 * that an id is no plain hash of a password to guess against), and made only when first asked for.
 */
final class ContentVersionsTest {
  private static final String CANARY = "canary-Q2x9vLm4Rt7Zp1Wk8Bn3Yc6Hd0Fs5Gj2Ka9Ue4Mi";

  @Test
  void theSameContentHasTheSameId_andAnotherContentAnother() {
    ContentVersions versions = new ContentVersions();
    SplittableRandom random = new SplittableRandom(20261206);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String value = CANARY + i + ":" + random.nextLong();
      String id = versions.of(value);
      assertThat(id).matches("[0-9a-f]{16}").isEqualTo(versions.of(value));
      assertThat(ids.add(id)).as("a new content gets a new id").isTrue();
    }
  }

  @Test
  void anIdIsKeyed_neitherTheValueNorItsPlainHash() throws Exception {
    String plainHash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(CANARY.getBytes(StandardCharsets.UTF_8)))
            .substring(0, 16);
    String first = new ContentVersions().of(CANARY);
    String second = new ContentVersions().of(CANARY);
    assertThat(first).isNotEqualTo(plainHash).doesNotContain("canary");
    assertThat(second).as("each instance draws its own key").isNotEqualTo(first);
  }

  @Test
  void describesItselfWithoutAKeyOrAValue() {
    ContentVersions versions = new ContentVersions();
    assertThat(versions.toString()).isEqualTo("ContentVersions[HmacSHA256, 64 bits]");
    versions.of(CANARY);
    assertThat(versions.toString()).isEqualTo("ContentVersions[HmacSHA256, 64 bits]");
  }
}
