package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.config.KeyList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeyRingLoadingTest {
  private final String k1 = FernetKey.generate().encoded().reveal();
  private final String k2 = FernetKey.generate().encoded().reveal();
  private final String k3 = FernetKey.generate().encoded().reveal();

  private static List<Problem> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("no ConfigException");
  }

  @Test
  void fromEnvironment_currentAndPrevious_inOrder() {
    FernetKeyRing ring =
        FernetKeyRing.fromEnvironment(
            "APP_KEY", Map.of("APP_KEY", k1, "APP_KEY_PREVIOUS", " " + k2 + " ,\t" + k3 + "\n"));
    assertThat(ring.keyIds())
        .containsExactly(
            FernetKey.parse(k1).id(), FernetKey.parse(k2).id(), FernetKey.parse(k3).id());
  }

  @Test
  void fromEnvironment_emptyOrBlankPrevious_meansNone() {
    assertThat(
            FernetKeyRing.fromEnvironment("APP_KEY", Map.of("APP_KEY", k1, "APP_KEY_PREVIOUS", ""))
                .keyIds())
        .hasSize(1);
    assertThat(
            FernetKeyRing.fromEnvironment(
                    "APP_KEY", Map.of("APP_KEY", k1, "APP_KEY_PREVIOUS", "  "))
                .keyIds())
        .hasSize(1);
    assertThat(FernetKeyRing.fromEnvironment("APP_KEY", Map.of("APP_KEY", k1)).keyIds()).hasSize(1);
  }

  @Test
  void fromEnvironment_missingCurrent_namesTheVariable() {
    assertThat(problems(() -> FernetKeyRing.fromEnvironment("APP_KEY", Map.of())))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo("APP_KEY");
              assertThat(p.reason()).contains("not set");
            });
  }

  @Test
  void fromEnvironment_everyProblemAtOnce_withoutValues() {
    String canary = "CANARY0123456789";
    List<Problem> found =
        problems(
            () ->
                FernetKeyRing.fromEnvironment(
                    "APP_KEY",
                    Map.of("APP_KEY", canary, "APP_KEY_PREVIOUS", k2 + ",," + canary + "xx,")));
    assertThat(found)
        .extracting(Problem::setting)
        .containsExactly(
            "APP_KEY",
            "APP_KEY_PREVIOUS entry 2",
            "APP_KEY_PREVIOUS entry 3",
            "APP_KEY_PREVIOUS entry 4");
    assertThat(found.toString()).doesNotContain(canary).doesNotContain(k2);
    ConfigException e =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    FernetKeyRing.fromEnvironment(
                        "APP_KEY", Map.of("APP_KEY", canary, "APP_KEY_PREVIOUS", k2 + ",")));
    assertThat(e.getMessage()).contains("2 problems").doesNotContain(canary).doesNotContain(k2);
  }

  @Test
  void read_keyFile_skipsCommentsAndBlankLines(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(
        file, "# current\n" + k1 + "\n\n# previous\n  " + k2 + "  \n", StandardCharsets.UTF_8);
    assertThat(FernetKeyRing.read(file).keyIds())
        .containsExactly(FernetKey.parse(k1).id(), FernetKey.parse(k2).id());
  }

  @Test
  void read_keyFileWithByteOrderMark_readsTheFirstKey(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bom.keys");
    Files.writeString(file, "\uFEFF" + k1 + "\r\n" + k2 + "\r\n", StandardCharsets.UTF_8);
    assertThat(FernetKeyRing.read(file).keyIds())
        .containsExactly(FernetKey.parse(k1).id(), FernetKey.parse(k2).id());
  }

  @Test
  void read_badLines_nameFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(file, k1 + "\nnot-a-key\n", StandardCharsets.UTF_8);
    assertThat(problems(() -> FernetKeyRing.read(file)))
        .singleElement()
        .satisfies(p -> assertThat(p.setting()).isEqualTo(file + " line 2"));
    assertThat(problems(() -> FernetKeyRing.read(file)).toString()).doesNotContain("not-a-key");
  }

  @Test
  void read_emptyOrMissingFile_isAConfigProblem(@TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.keys"), "# nothing\n");
    assertThat(problems(() -> FernetKeyRing.read(empty)).get(0).reason()).contains("no key");
    assertThatThrownBy(() -> FernetKeyRing.read(dir.resolve("missing.keys")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.keys")
        .hasMessageContaining("does not exist")
        .hasMessageNotContaining("Exception");
    assertThatThrownBy(() -> FernetKeyRing.read(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is a directory");
    Path latin1 = Files.write(dir.resolve("latin1.keys"), new byte[] {(byte) 0xe9, '\n'});
    assertThatThrownBy(() -> FernetKeyRing.read(latin1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void ofKeyList_currentAndPrevious_inOrder() {
    KeyList keys = KeyList.of(Secret.of(k1), List.of(Secret.of(" " + k2), Secret.of(k3)));
    FernetKeyRing ring = FernetKeyRing.of("APP_KEY", keys);
    assertThat(ring.keyIds())
        .containsExactly(
            FernetKey.parse(k1).id(), FernetKey.parse(k2).id(), FernetKey.parse(k3).id());
  }

  @Test
  void ofKeyList_badKeys_areNamedBySettingAndEntry_neverByValue() {
    String canary = "CANARY0123456789";
    KeyList keys = KeyList.of(Secret.of(canary), List.of(Secret.of(k2), Secret.of(canary + "x")));
    List<Problem> found = problems(() -> FernetKeyRing.of("APP_KEY", keys));
    assertThat(found)
        .extracting(Problem::setting)
        .containsExactly("APP_KEY", "APP_KEY_PREVIOUS entry 2");
    assertThat(found.toString()).doesNotContain(canary);
  }

  /**
   * A key passed where the variable's name belongs, as in {@code
   * FernetKeyRing.fromEnvironment(System.getenv("APP_KEY"))}: refused, and not quoted in the
   * problem a log would print.
   */
  @Test
  void keyPassedAsTheName_isRefusedWithoutBeingShown() {
    for (Runnable call :
        List.<Runnable>of(
            () -> FernetKeyRing.fromEnvironment(k1, Map.of()),
            () -> FernetKeyRing.fromEnvironment(k1, Map.of(k1, " ")),
            () -> FernetKeyRing.fromEnvironment(k1, Map.of(k1 + "_PREVIOUS", k2 + ",,")))) {
      List<Problem> found = problems(call);
      assertThat(found)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo("the setting name given");
                assertThat(p.reason()).contains("not shown, in case it is a key");
              });
      assertThat(found.toString()).doesNotContain(k1.substring(0, 12));
    }
  }

  @Test
  void fromEnvironment_variablesWithByteOrderMark_holdTheKeysWithoutIt() {
    FernetKeyRing ring =
        FernetKeyRing.fromEnvironment(
            "APP_KEY", Map.of("APP_KEY", "\uFEFF" + k1, "APP_KEY_PREVIOUS", "\uFEFF" + k2));
    assertThat(ring.keyIds()).containsExactly(FernetKey.parse(k1).id(), FernetKey.parse(k2).id());
  }

  @Test
  void holdsPrimaryOf_comparesTheKeysThemselves() {
    FernetKey a = FernetKey.parse(k1);
    FernetKey b = FernetKey.parse(k2);
    FernetKeyRing before = FernetKeyRing.of(a);
    assertThat(FernetKeyRing.holdsPrimaryOf(FernetKeyRing.of(b, a), before)).isTrue();
    assertThat(FernetKeyRing.holdsPrimaryOf(FernetKeyRing.of(a), before)).isTrue();
    assertThat(FernetKeyRing.holdsPrimaryOf(FernetKeyRing.of(b), before)).isFalse();
  }
}
