package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.Secret;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Tokens and keys made by Python's pyca/cryptography (resources/fernet/pyca-interop.json), read
 * here byte for byte. {@link PythonRoundTripTest} checks the other direction when Python is
 * installed.
 */
final class PycaInteropTest {

  @Test
  void decrypt_tokensMadeByPycaFernet() throws Exception {
    JsonNode tokens = FernetSpecVectorsTest.load("pyca-interop.json").get("tokens");
    assertThat(tokens.size()).isGreaterThan(3);
    for (JsonNode t : tokens) {
      FernetKeyRing ring = FernetKeyRing.of(FernetKey.parse(t.get("key").asText()));
      byte[] expected = Base64.getDecoder().decode(t.get("plaintext_b64").asText());
      assertThat(ring.decrypt(t.get("token").asText())).isEqualTo(expected);
      assertThat(ring.extractTimestamp(t.get("token").asText()))
          .isEqualTo(Instant.ofEpochSecond(t.get("timestamp").asLong()));
    }
  }

  @Test
  void rotate_matchesPycaMultiFernetRotate() throws Exception {
    JsonNode m = FernetSpecVectorsTest.load("pyca-interop.json").get("multifernet");
    FernetKeyRing ring =
        FernetKeyRing.of(
            FernetKey.parse(m.get("primary").asText()),
            FernetKey.parse(m.get("previous").asText()));
    FernetKeyRing primaryOnly = FernetKeyRing.of(FernetKey.parse(m.get("primary").asText()));
    Instant ts = Instant.ofEpochSecond(m.get("timestamp").asLong());

    // pyca's rotated token reads with the primary alone and kept its timestamp ...
    assertThat(primaryOnly.decrypt(m.get("rotated").asText()))
        .asString(UTF_8)
        .isEqualTo(m.get("plaintext").asText());
    assertThat(primaryOnly.extractTimestamp(m.get("rotated").asText())).isEqualTo(ts);
    // ... and ours does the same from the same original.
    String ours = ring.rotate(m.get("original").asText());
    assertThat(primaryOnly.decrypt(ours)).asString(UTF_8).isEqualTo(m.get("plaintext").asText());
    assertThat(primaryOnly.extractTimestamp(ours)).isEqualTo(ts);
  }

  @Test
  void derive_matchesPycaHkdfAndLegacySha256() throws Exception {
    JsonNode d = FernetSpecVectorsTest.load("pyca-interop.json").get("derivation");
    Secret master = Secret.of(d.get("master").asText());
    assertThat(FernetKey.derive(master, d.get("label").asText()).encoded().reveal())
        .isEqualTo(d.get("hkdf_key").asText());
    assertThat(FernetKey.deriveLegacySha256(master).encoded().reveal())
        .isEqualTo(d.get("legacy_sha256_key").asText());
  }
}
