package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both directions against the real pyca/cryptography, where a {@code python3} with the {@code
 * cryptography} package is on the PATH; skipped elsewhere ({@link PycaInteropTest} covers the
 * Python-to-Java direction from recorded tokens everywhere). Keys travel in the environment and
 * tokens on stdin, never on the command line.
 */
final class PythonRoundTripTest {
  private static boolean available;

  @BeforeAll
  static void probe() {
    available = Python.canImport("cryptography.fernet");
  }

  private static Python.Result python(String script, Map<String, String> env, String stdin)
      throws IOException {
    return Python.run(List.of("-c", script), env, stdin);
  }

  @Test
  void javaTokens_readByPythonMultiFernet() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    FernetKey oldKey = FernetKey.generate();
    FernetKey newKey = FernetKey.generate();
    Instant at = Instant.parse("2025-06-01T12:00:00Z");
    String oldToken = FernetKeyRing.of(oldKey).encrypt("pässwörd ✓".getBytes(UTF_8), at);
    String rotated = FernetKeyRing.of(newKey, oldKey).rotate(oldToken);

    Python.Result r =
        python(
            "import os,sys\n"
                + "from cryptography.fernet import Fernet\n"
                + "f = Fernet(os.environ['NEW_KEY'])\n"
                + "t = sys.stdin.read().strip().encode()\n"
                + "print(f.decrypt(t).decode('utf-8'))\n"
                + "print(f.extract_timestamp(t))\n",
            Map.of("NEW_KEY", newKey.encoded().reveal()),
            rotated);

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out().lines()).containsExactly("pässwörd ✓", String.valueOf(at.getEpochSecond()));
  }

  /**
   * Pins what docs/fernet.md says of pyca's leniency: of the spellings of one token, pyca too
   * rejects the unpadded ones, and accepts others that Latchkey rejects ({@link
   * TokenSpellingTest}); Latchkey accepts only the first, canonical one.
   */
  @Test
  void spellings_pythonRejectsUnpaddedAndToleratesTheRest() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    FernetKey key = FernetKey.generate();
    FernetKeyRing ring = FernetKeyRing.of(key);
    String t = ring.encrypt("x".getBytes(UTF_8), Instant.parse("2025-06-01T12:00:00Z"));
    assertThat(t).endsWith("==");
    // Before "==" the last character is A, Q, g or w (its low four bits unused); the next one
    // in the alphabet spells the same bytes with an unused bit set.
    char bumped = (char) (t.charAt(t.length() - 3) + 1);
    Map<String, String> spellings = new LinkedHashMap<>();
    spellings.put(t, "accepted");
    spellings.put(t.substring(0, t.length() - 2), "rejected");
    spellings.put(t.substring(0, t.length() - 1), "rejected");
    spellings.put(t + "=", "accepted");
    spellings.put(t.replace('-', '+').replace('_', '/'), "accepted");
    spellings.put(" " + t.substring(0, 30) + "\n" + t.substring(30), "accepted");
    spellings.put(t + "AAAA", "accepted");
    spellings.put(t.substring(0, t.length() - 3) + bumped + "==", "accepted");
    StringBuilder hexLines = new StringBuilder();
    for (String spelling : spellings.keySet()) {
      hexLines.append(HexFormat.of().formatHex(spelling.getBytes(UTF_8))).append('\n');
    }

    Python.Result r =
        python(
            "import os,sys\n"
                + "from cryptography.fernet import Fernet, InvalidToken\n"
                + "f = Fernet(os.environ['KEY'])\n"
                + "for line in sys.stdin.read().split():\n"
                + "    try:\n"
                + "        f.decrypt(bytes.fromhex(line)); print('accepted')\n"
                + "    except InvalidToken:\n"
                + "        print('rejected')\n",
            Map.of("KEY", key.encoded().reveal()),
            hexLines.toString());

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out().lines()).containsExactlyElementsOf(spellings.values());
  }

  @Test
  void pythonTokens_readByJava() throws IOException {
    assumeTrue(available, "python3 with the cryptography package is not installed");
    FernetKey key = FernetKey.generate();
    Python.Result r =
        python(
            "import os\n"
                + "from cryptography.fernet import Fernet\n"
                + "print(Fernet(os.environ['KEY']).encrypt_at_time(b'from python', 1750000000)"
                + ".decode())\n",
            Map.of("KEY", key.encoded().reveal()),
            "");
    assertThat(r.exitCode()).as(r.out()).isZero();
    String token = r.out().strip();
    FernetKeyRing ring = FernetKeyRing.of(key);
    assertThat(ring.decrypt(token)).asString(UTF_8).isEqualTo("from python");
    assertThat(ring.extractTimestamp(token)).isEqualTo(Instant.ofEpochSecond(1750000000));
  }
}
