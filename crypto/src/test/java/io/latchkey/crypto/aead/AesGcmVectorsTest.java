package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.InvalidTokenException;
import io.latchkey.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorded vectors of resources/aes-gcm/vectors.json (see ORIGIN.md there) hold: the same
 * inputs give the same bytes, every token decrypts, every bad one is rejected for its reason.
 */
final class AesGcmVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  static JsonNode vectors() throws IOException {
    try (InputStream in = AesGcmVectorsTest.class.getResourceAsStream("/aes-gcm/vectors.json")) {
      if (in == null) {
        throw new IOException("missing test resource aes-gcm/vectors.json");
      }
      return new ObjectMapper().readTree(in);
    }
  }

  static AssociatedData associatedData(JsonNode v) {
    List<byte[]> parts = new ArrayList<>();
    v.get("associated_data_hex").forEach(p -> parts.add(HEX.parseHex(p.asText())));
    return AssociatedData.ofBytes(parts.toArray(new byte[0][]));
  }

  @Test
  void valid_sameInputs_giveTheRecordedBytes_andDecrypt() throws IOException {
    JsonNode valid = vectors().get("valid");
    assertThat(valid.size()).isGreaterThanOrEqualTo(6);
    for (JsonNode v : valid) {
      String what = v.get("description").asText();
      AesGcmKey key = AesGcmKey.parse(v.get("key").asText());
      assertThat(AesGcmKey.of(HEX.parseHex(v.get("key_hex").asText())).matches(key)).isTrue();
      assertThat(key.id()).as(what).isEqualTo(v.get("key_id").asText());
      AssociatedData ad = associatedData(v);
      byte[] plaintext = HEX.parseHex(v.get("plaintext_hex").asText());
      byte[] raw =
          AesGcmFormat.seal(
              key,
              plaintext,
              v.get("timestamp").asLong(),
              ad,
              HEX.parseHex(v.get("nonce_hex").asText()),
              null);
      assertThat(HEX.formatHex(raw)).as(what).isEqualTo(v.get("token_hex").asText());
      assertThat(AesGcmFormat.toText(raw)).as(what).isEqualTo(v.get("token").asText());

      AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate(), key);
      String token = v.get("token").asText();
      assertThat(ring.decrypt(token, ad)).as(what).isEqualTo(plaintext);
      assertThat(ring.decryptBytes(raw, ad)).as(what).isEqualTo(plaintext);
      assertThat(ring.extractTimestamp(token, ad))
          .isEqualTo(Instant.ofEpochSecond(v.get("timestamp").asLong()));
    }
  }

  @Test
  void derive_givesTheRecordedKeys() throws IOException {
    for (JsonNode d : vectors().get("derive")) {
      assertThat(
              AesGcmKey.derive(Secret.of(d.get("master").asText()), d.get("label").asText())
                  .encoded()
                  .reveal())
          .isEqualTo(d.get("key").asText());
    }
  }

  @Test
  void invalid_eachRejectedForItsReason() throws IOException {
    JsonNode invalid = vectors().get("invalid");
    assertThat(invalid.size()).isGreaterThanOrEqualTo(15);
    for (JsonNode v : invalid) {
      List<AesGcmKey> keys = new ArrayList<>();
      v.get("keys").forEach(k -> keys.add(AesGcmKey.parse(k.asText())));
      AesGcmKeyRing ring = AesGcmKeyRing.builder().keys(keys).build();
      String token = v.get("token").asText();
      AssociatedData ad = associatedData(v);
      assertThat(Reasons.of(() -> ring.decrypt(token, ad)))
          .as(v.get("description").asText())
          .isEqualTo(InvalidTokenException.Reason.valueOf(v.get("reason").asText()));
      assertThat(ring.isPrimary(token, ad)).isFalse();
    }
  }
}
