package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.Secret;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Wrote {@code resources/aes-gcm/vectors.json}, once: run {@link #main} and save its output. Kept
 * so that the vectors' inputs can be read, not to regenerate them; {@link AesGcmVectorsTest} checks
 * the recorded file, and a change of format shows there as a failure, not as a new file. Keys,
 * nonces and timestamps are fixed here, so running it again prints the same file.
 */
final class AesGcmVectorGenerator {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] K1 =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final byte[] K2 =
      HEX.parseHex("c0ffee00c0ffee01c0ffee02c0ffee03c0ffee04c0ffee05c0ffee06c0ffee07");
  static final byte[] K3 =
      HEX.parseHex("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
  static final long T2026 = 1767225600L;

  private final ObjectMapper mapper = new ObjectMapper();

  private AesGcmVectorGenerator() {}

  /**
   * Prints the vectors as JSON.
   *
   * @param args none
   * @throws Exception never, in practice
   */
  public static void main(String[] args) throws Exception {
    System.out.println(new AesGcmVectorGenerator().generate());
  }

  String generate() throws Exception {
    ObjectNode root = mapper.createObjectNode();
    root.put("format", "Latchkey AES-GCM tokens, version 1 (docs/encryption.md)");
    root.set("valid", valid());
    root.set("derive", derive());
    root.set("invalid", invalid());
    return mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }

  private ArrayNode valid() {
    ArrayNode a = mapper.createArrayNode();
    a.add(
        vector(
            "empty plaintext, no associated data",
            K1,
            0,
            new byte[0],
            List.of(),
            "000000000000000000000000"));
    a.add(
        vector(
            "text, no associated data",
            K1,
            T2026,
            "hello".getBytes(UTF_8),
            List.of(),
            "0102030405060708090a0b0c"));
    a.add(
        vector(
            "bound to a row: (table, column, row id)",
            K1,
            T2026,
            "sk-live-0123456789abcdef".getBytes(UTF_8),
            List.of(b("credentials"), b("api_key"), b("42")),
            "a1a2a3a4a5a6a7a8a9aaabac"));
    a.add(
        vector(
            "one empty part",
            K2,
            T2026,
            new byte[32],
            List.of(new byte[0]),
            "ffffffffffffffffffffffff"));
    a.add(
        vector(
            "UTF-8 plaintext, parts (ab, c)",
            K2,
            253402300799L,
            "pässwörd ✓ — 70 bytes or so, longer than four AES blocks in all".getBytes(UTF_8),
            List.of(b("ab"), b("c")),
            "0f1e2d3c4b5a69788796a5b4"));
    a.add(
        vector(
            "byte parts",
            K2,
            1L,
            HEX.parseHex("00ff00ff"),
            List.of(HEX.parseHex("00"), HEX.parseHex("ffff")),
            "00000000000000000000002a"));
    return a;
  }

  private ObjectNode vector(
      String description,
      byte[] key,
      long timestamp,
      byte[] plaintext,
      List<byte[]> parts,
      String nonce) {
    AesGcmKey k = AesGcmKey.of(key);
    AssociatedData ad = AssociatedData.ofBytes(parts.toArray(new byte[0][]));
    byte[] raw = AesGcmFormat.seal(k, plaintext, timestamp, ad, HEX.parseHex(nonce), null);
    byte[] aad = new byte[AesGcmFormat.NONCE_AT + ad.encoded().length];
    System.arraycopy(raw, 0, aad, 0, AesGcmFormat.NONCE_AT);
    System.arraycopy(ad.encoded(), 0, aad, AesGcmFormat.NONCE_AT, ad.encoded().length);
    ObjectNode v = mapper.createObjectNode();
    v.put("description", description);
    v.put("key", k.encoded().reveal());
    v.put("key_hex", HEX.formatHex(key));
    v.put("key_id", k.id());
    v.put("timestamp", timestamp);
    v.put("nonce_hex", nonce);
    v.put("plaintext_hex", HEX.formatHex(plaintext));
    ArrayNode p = v.putArray("associated_data_hex");
    parts.forEach(part -> p.add(HEX.formatHex(part)));
    v.put("gcm_additional_data_hex", HEX.formatHex(aad));
    v.put("token_hex", HEX.formatHex(raw));
    v.put("token", AesGcmFormat.toText(raw));
    return v;
  }

  private ArrayNode derive() {
    ArrayNode a = mapper.createArrayNode();
    String master = "a-high-entropy-master-secret-0123456789";
    for (String label : List.of("credentials-at-rest", "session-cookies")) {
      ObjectNode d = a.addObject();
      d.put("master", master);
      d.put("label", label);
      d.put("key", AesGcmKey.derive(Secret.of(master), label).encoded().reveal());
    }
    return a;
  }

  private ArrayNode invalid() {
    ArrayNode a = mapper.createArrayNode();
    AssociatedData row = AssociatedData.of("credentials", "api_key", "42");
    List<byte[]> rowParts = List.of(b("credentials"), b("api_key"), b("42"));
    byte[] good =
        AesGcmFormat.seal(
            AesGcmKey.of(K1),
            b("sk-live-0123456789abcdef"),
            T2026,
            row,
            HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabac"),
            null);
    String text = AesGcmFormat.toText(good);
    a.add(
        bad(
            "truncated below the header and tag",
            Arrays.copyOf(good, 40),
            rowParts,
            Reason.MALFORMED));
    a.add(
        bad(
            "one byte of the tag cut off",
            Arrays.copyOf(good, good.length - 1),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(bad("wrong version byte", flip(good, 0, 0x03), rowParts, Reason.UNSUPPORTED_VERSION));
    a.add(
        bad(
            "flipped bit in the key id (an unknown key id)",
            flip(good, 1, 0x80),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "flipped bit in the timestamp",
            flip(good, 12, 0x01),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "flipped bit in the nonce",
            flip(good, 13, 0x01),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "flipped bit in the ciphertext",
            flip(good, 25, 0x01),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "flipped bit in the tag",
            flip(good, good.length - 1, 0x40),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "moved to another row",
            good,
            List.of(b("credentials"), b("api_key"), b("43")),
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "moved to another column",
            good,
            List.of(b("credentials"), b("password"), b("42")),
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "parts split differently",
            good,
            List.of(b("credentialsapi_key"), b("42")),
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(bad("no associated data given", good, List.of(), Reason.WRONG_KEY_OR_TAMPERED));
    byte[] k3 =
        AesGcmFormat.seal(
            AesGcmKey.of(K3), b("x"), T2026, row, HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabac"), null);
    a.add(
        bad("made with a key the ring does not hold", k3, rowParts, Reason.WRONG_KEY_OR_TAMPERED));
    byte[] k3WithK1Id = k3.clone();
    System.arraycopy(good, 1, k3WithK1Id, 1, 4);
    a.add(
        bad(
            "a ring key's id on a token made with another key",
            k3WithK1Id,
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
    a.add(badText("no prefix", text.substring(3), rowParts, Reason.MALFORMED));
    a.add(badText("another prefix", "LK." + text.substring(3), rowParts, Reason.MALFORMED));
    a.add(badText("padding removed", text.replace("=", ""), rowParts, Reason.MALFORMED));
    a.add(
        badText(
            "standard alphabet",
            "lk." + Base64.getEncoder().encodeToString(good),
            rowParts,
            Reason.MALFORMED));
    a.add(badText("trailing newline", text + "\n", rowParts, Reason.MALFORMED));
    a.add(badText("empty", "", rowParts, Reason.MALFORMED));
    return a;
  }

  private ObjectNode bad(String description, byte[] raw, List<byte[]> parts, Reason reason) {
    return badText(description, AesGcmFormat.toText(raw), parts, reason);
  }

  private ObjectNode badText(String description, String token, List<byte[]> parts, Reason reason) {
    ObjectNode v = mapper.createObjectNode();
    v.put("description", description);
    ArrayNode keys = v.putArray("keys");
    keys.add(AesGcmKey.of(K1).encoded().reveal());
    keys.add(AesGcmKey.of(K2).encoded().reveal());
    ArrayNode p = v.putArray("associated_data_hex");
    parts.forEach(part -> p.add(HEX.formatHex(part)));
    v.put("token", token);
    v.put("reason", reason.name());
    return v;
  }

  private static byte[] flip(byte[] raw, int at, int mask) {
    byte[] copy = raw.clone();
    copy[at] ^= (byte) mask;
    return copy;
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
