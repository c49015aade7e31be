package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.crypto.Python;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
  void javaTokens_readByPython_andForeignRowsRejected() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    AesGcmKey oldKey = AesGcmKey.generate();
    AesGcmKey newKey = AesGcmKey.generate();
    AssociatedData row = AssociatedData.forRow("credentials", "secret", 7L);
    Instant at = Instant.parse("2025-06-01T12:00:00Z");
    String old = AesGcmKeyRing.of(oldKey).encrypt("pässwörd ✓".getBytes(UTF_8), at, row);
    String rotated = AesGcmKeyRing.of(newKey, oldKey).rotate(old, row);
    String keys = newKey.encoded().reveal() + "," + oldKey.encoded().reveal();

    List<String> parts = List.of(hex("credentials"), hex("secret"), hex("7"));
    Python.Result r =
        reference(concat("decrypt", parts), Map.of("KEYS", keys), old + "\n" + rotated);
    assertThat(r.exitCode()).as(r.out()).isZero();
    String expected = hex("pässwörd ✓") + " " + at.getEpochSecond();
    assertThat(r.out().lines()).containsExactly(expected, expected);

    List<String> otherRow = List.of(hex("credentials"), hex("secret"), hex("8"));
    Python.Result moved = reference(concat("decrypt", otherRow), Map.of("KEYS", keys), rotated);
    assertThat(moved.out().strip()).isEqualTo("WRONG_KEY_OR_TAMPERED");
  }

  @Test
  void pythonTokens_readByJava() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    AesGcmKey key = AesGcmKey.generate();
    AssociatedData ad = AssociatedData.of("ab", "c");
    Python.Result r =
        reference(
            List.of("encrypt", "1750000000", hex("ab"), hex("c")),
            Map.of("KEY", key.encoded().reveal()),
            hex("from python") + "\n" + HEX.formatHex(new byte[70_000]));
    assertThat(r.exitCode()).as(r.out()).isZero();
    List<String> tokens = r.out().lines().toList();
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate(), key);
    assertThat(ring.decrypt(tokens.get(0), ad)).asString(UTF_8).isEqualTo("from python");
    assertThat(ring.extractTimestamp(tokens.get(0), ad))
        .isEqualTo(Instant.ofEpochSecond(1750000000));
    assertThat(ring.decrypt(tokens.get(1), ad)).isEqualTo(new byte[70_000]);
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
