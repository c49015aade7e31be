package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** The recorded array of that name, checked to hold at least that many entries. */
  private static JsonNode entries(String name, int atLeast) throws IOException {
    JsonNode entries = vectors().get(name);
    assertThat(entries.size()).as(name).isGreaterThanOrEqualTo(atLeast);
    return entries;
  }

  static AssociatedData associatedData(JsonNode v) {
    List<byte[]> parts = new ArrayList<>();
    v.get("associated_data_hex").forEach(p -> parts.add(HEX.parseHex(p.asText())));
    return AssociatedData.ofBytes(parts.toArray(new byte[0][]));
  }

  @Test
  void valid_sameInputs_giveTheRecordedBytes_andDecrypt() throws IOException {
    for (JsonNode v : entries("valid", 6)) {
      Vector vector = Vector.of(v);
      long timestamp = v.get("timestamp").asLong();
      byte[] raw =
          AesGcmFormat.sealTimed(
              vector.key, vector.plaintext, timestamp, vector.ad, vector.nonce, null);
      assertThat(HEX.formatHex(AesGcmFormat.timedAdditionalData(raw, vector.ad)))
          .as(vector.what)
          .isEqualTo(v.get("gcm_additional_data_hex").asText());
      String token = vector.check(v, raw);
      assertThat(raw[0]).isEqualTo((byte) 0x01);
      assertThat(vector.ring().extractTimestamp(token, vector.ad))
          .isEqualTo(Instant.ofEpochSecond(timestamp));
    }
  }

  @Test
  void validUntimed_sameInputs_giveTheRecordedBytes_andDecrypt() throws IOException {
    for (JsonNode v : entries("valid_untimed", 5)) {
      Vector vector = Vector.of(v);
      assertThat(v.has("timestamp")).isFalse();
      byte[] raw =
          AesGcmFormat.sealUntimed(vector.key, vector.plaintext, vector.ad, vector.nonce, null);
      // The untimed layout authenticates the associated data alone.
      assertThat(v.get("gcm_additional_data_hex").asText())
          .as(vector.what)
          .isEqualTo(HEX.formatHex(vector.ad.encoded()));
      String token = vector.check(v, raw);
      assertThat(raw[0]).isEqualTo((byte) 0x02);
      assertThat(raw).hasSize(33 + vector.plaintext.length);
      assertThatThrownBy(() -> vector.ring().extractTimestamp(token, vector.ad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** One valid vector's inputs. */
  private record Vector(
      String what, AesGcmKey key, AssociatedData ad, byte[] plaintext, byte[] nonce) {
    static Vector of(JsonNode v) {
      String what = v.get("description").asText();
      AesGcmKey key = AesGcmKey.parse(v.get("key").asText());
      assertThat(AesGcmKey.of(HEX.parseHex(v.get("key_hex").asText())).matches(key)).isTrue();
      assertThat(key.id()).as(what).isEqualTo(v.get("key_id").asText());
      return new Vector(
          what,
          key,
          associatedData(v),
          HEX.parseHex(v.get("plaintext_hex").asText()),
          HEX.parseHex(v.get("nonce_hex").asText()));
    }

    /** A ring whose primary is another key, so that the vector's key is found by its id. */
    AesGcmKeyRing ring() {
      return AesGcmKeyRing.of(AesGcmKey.generate(), key);
    }

    /** Checks the token made from the inputs against the record, and that both forms decrypt. */
    String check(JsonNode v, byte[] raw) {
      assertThat(HEX.formatHex(raw)).as(what).isEqualTo(v.get("token_hex").asText());
      String token = v.get("token").asText();
      assertThat(AesGcmFormat.toText(raw)).as(what).isEqualTo(token);
      AesGcmKeyRing ring = ring();
      assertThat(ring.decrypt(token, ad)).as(what).isEqualTo(plaintext);
      assertThat(ring.decryptBytes(raw, ad)).as(what).isEqualTo(plaintext);
      return token;
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
    assertThat(invalid.size()).isGreaterThanOrEqualTo(35);
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
