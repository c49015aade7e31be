package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.crypto.Python;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second implementation of the format, in Python on pyca/cryptography, written from
 * docs/encryption.md alone (resources/aes-gcm/reference.py), agrees with this one: it checks the
 * recorded vectors, reads tokens made here and makes tokens read here. Runs where a {@code python3}
 * with the {@code cryptography} package is on the PATH; skipped elsewhere. Keys travel in the
 * environment and tokens on stdin, never on the command line.
 */
final class PythonReferenceTest {
  private static final HexFormat HEX = HexFormat.of();
  private static boolean available;
  private static Path script;

  @BeforeAll
  static void probe() throws URISyntaxException {
    script = Path.of(PythonReferenceTest.class.getResource("/aes-gcm/reference.py").toURI());
    available = Python.canImport("cryptography.hazmat.primitives.ciphers.aead");
  }

  private static Python.Result reference(List<String> args, Map<String, String> env, String stdin)
      throws IOException {
    List<String> all = new ArrayList<>();
    all.add(script.toString());
    all.addAll(args);
    return Python.run(all, env, stdin);
  }

  @Test
  void python_checksTheRecordedVectors() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    Path vectors = script.resolveSibling("vectors.json");
    Python.Result r = reference(List.of("check", vectors.toString()), Map.of(), "");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out().strip()).startsWith("ok ");
  }

  @Test
  void javaTokens_bothLayouts_readByPython_andForeignRowsRejected() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    AesGcmKey oldKey = AesGcmKey.generate();
    AesGcmKey newKey = AesGcmKey.generate();
    AssociatedData row = AssociatedData.forRow("credentials", "secret", 7L);
    Instant at = Instant.parse("2025-06-01T12:00:00Z");
    byte[] plaintext = "pässwörd ✓".getBytes(UTF_8);
    String timed = AesGcmKeyRing.of(oldKey).encrypt(plaintext, at, row);
    String rotatedTimed = AesGcmKeyRing.of(newKey, oldKey).withTimestamps(true).rotate(timed, row);
    String untimed = AesGcmKeyRing.of(oldKey).encrypt(plaintext, row);
    String rotatedUntimed = AesGcmKeyRing.of(newKey, oldKey).rotate(timed, row);
    String unbound = AesGcmKeyRing.of(newKey).encrypt(plaintext);
    String keys = newKey.encoded().reveal() + "," + oldKey.encoded().reveal();

    List<String> parts = List.of(hex("credentials"), hex("secret"), hex("7"));
    Python.Result r =
        reference(
            concat("decrypt", parts),
            Map.of("KEYS", keys),
            String.join("\n", timed, rotatedTimed, untimed, rotatedUntimed));
    assertThat(r.exitCode()).as(r.out()).isZero();
    String withTime = hex("pässwörd ✓") + " " + at.getEpochSecond();
    String withoutTime = hex("pässwörd ✓") + " none";
    assertThat(r.out().lines()).containsExactly(withTime, withTime, withoutTime, withoutTime);

    Python.Result noParts = reference(List.of("decrypt"), Map.of("KEYS", keys), unbound);
    assertThat(noParts.out().strip()).isEqualTo(withoutTime);

    List<String> otherRow = List.of(hex("credentials"), hex("secret"), hex("8"));
    Python.Result moved =
        reference(
            concat("decrypt", otherRow),
            Map.of("KEYS", keys),
            rotatedTimed + "\n" + rotatedUntimed);
    assertThat(moved.out().lines())
        .containsExactly("WRONG_KEY_OR_TAMPERED", "WRONG_KEY_OR_TAMPERED");
  }

  @Test
  void pythonTokens_bothLayouts_readByJava() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    AesGcmKey key = AesGcmKey.generate();
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate(), key);
    AssociatedData ad = AssociatedData.of("ab", "c");
    String plaintexts = hex("from python") + "\n" + HEX.formatHex(new byte[70_000]);
    Map<String, String> env = Map.of("KEY", key.encoded().reveal());

    Python.Result r =
        reference(List.of("encrypt", "1750000000", hex("ab"), hex("c")), env, plaintexts);
    assertThat(r.exitCode()).as(r.out()).isZero();
    List<String> tokens = r.out().lines().toList();
    assertThat(ring.decrypt(tokens.get(0), ad)).asString(UTF_8).isEqualTo("from python");
    assertThat(ring.extractTimestamp(tokens.get(0), ad))
        .isEqualTo(Instant.ofEpochSecond(1750000000));
    assertThat(ring.decrypt(tokens.get(1), ad)).isEqualTo(new byte[70_000]);

    Python.Result untimed =
        reference(List.of("encrypt", "none", hex("ab"), hex("c")), env, plaintexts);
    assertThat(untimed.exitCode()).as(untimed.out()).isZero();
    List<String> untimedTokens = untimed.out().lines().toList();
    assertThat(Base64.getUrlDecoder().decode(untimedTokens.get(0).substring(3)))
        .hasSize(33 + "from python".length())
        .startsWith(2);
    assertThat(ring.decrypt(untimedTokens.get(0), ad)).asString(UTF_8).isEqualTo("from python");
    assertThat(ring.decrypt(untimedTokens.get(1), ad)).isEqualTo(new byte[70_000]);
    assertThat(ring.isPrimary(ring.rotate(untimedTokens.get(0), ad), ad)).isTrue();
    assertThatThrownBy(() -> ring.extractTimestamp(untimedTokens.get(0), ad))
        .isInstanceOf(IllegalArgumentException.class);

    Python.Result unbound = reference(List.of("encrypt", "none"), env, hex("no parts"));
    assertThat(ring.decrypt(unbound.out().strip())).asString(UTF_8).isEqualTo("no parts");
  }

  private static String hex(String s) {
    return HEX.formatHex(s.getBytes(UTF_8));
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
