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
 * Wrote {@code resources/aes-gcm/vectors.json}: run {@link #main} and save its output. Kept so that
 * the vectors' inputs can be read, not to regenerate them; {@link AesGcmVectorsTest} checks the
 * recorded file, and a change of format shows there as a failure, not as a new file. Keys, nonces
 * and timestamps are fixed here, so running it again prints the same file. The file was written
 * once for the timed layout and once more when the untimed layout was added, keeping every earlier
 * vector byte for byte (ORIGIN.md).
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
  private static final Reason MAL = Reason.MALFORMED;
  private static final Reason WRONG = Reason.WRONG_KEY_OR_TAMPERED;
  private static final Reason VERSION = Reason.UNSUPPORTED_VERSION;

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
    root.put(
        "format",
        "Latchkey AES-GCM tokens, layouts 0x01 (timed, \"valid\") and 0x02 (untimed,"
            + " \"valid_untimed\") (docs/encryption.md)");
    root.set("valid", valid());
    root.set("valid_untimed", validUntimed());
    root.set("derive", derive());
    ArrayNode invalid = invalid();
    invalid.addAll(invalidUntimed());
    root.set("invalid", invalid);
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
    byte[] raw = AesGcmFormat.sealTimed(k, plaintext, timestamp, ad, HEX.parseHex(nonce), null);
    byte[] aad = AesGcmFormat.timedAdditionalData(raw, ad);
    return describe(description, k, key, timestamp, nonce, plaintext, parts, aad, raw);
  }

  /** The untimed layout's valid vectors: the same fields, without a timestamp. */
  private ArrayNode validUntimed() {
    ArrayNode a = mapper.createArrayNode();
    a.add(
        untimed(
            "layout 0x02: empty plaintext, no associated data (33 bytes)",
            K1,
            new byte[0],
            List.of(),
            "000000000000000000000000"));
    a.add(
        untimed(
            "layout 0x02: text, no associated data",
            K1,
            "hello".getBytes(UTF_8),
            List.of(),
            "0102030405060708090a0b0c"));
    a.add(
        untimed(
            "layout 0x02: bound to a row: (table, column, row id)",
            K1,
            "sk-live-0123456789abcdef".getBytes(UTF_8),
            List.of(b("credentials"), b("api_key"), b("42")),
            "a1a2a3a4a5a6a7a8a9aaabac"));
    a.add(
        untimed(
            "layout 0x02: one empty part",
            K2,
            new byte[32],
            List.of(new byte[0]),
            "ffffffffffffffffffffffff"));
    a.add(
        untimed(
            "layout 0x02: UTF-8 plaintext, parts (ab, c)",
            K2,
            "pässwörd ✓ — 70 bytes or so, longer than four AES blocks in all".getBytes(UTF_8),
            List.of(b("ab"), b("c")),
            "0f1e2d3c4b5a69788796a5b4"));
    return a;
  }

  private ObjectNode untimed(
      String description, byte[] key, byte[] plaintext, List<byte[]> parts, String nonce) {
    AesGcmKey k = AesGcmKey.of(key);
    AssociatedData ad = AssociatedData.ofBytes(parts.toArray(new byte[0][]));
    byte[] raw = AesGcmFormat.sealUntimed(k, plaintext, ad, HEX.parseHex(nonce), null);
    return describe(description, k, key, null, nonce, plaintext, parts, ad.encoded(), raw);
  }

  private ObjectNode describe(
      String description,
      AesGcmKey k,
      byte[] key,
      Long timestamp,
      String nonce,
      byte[] plaintext,
      List<byte[]> parts,
      byte[] aad,
      byte[] raw) {
    ObjectNode v = mapper.createObjectNode();
    v.put("description", description);
    v.put("key", k.encoded().reveal());
    v.put("key_hex", HEX.formatHex(key));
    v.put("key_id", k.id());
    if (timestamp != null) {
      v.put("timestamp", timestamp.longValue());
    }
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
    byte[] good = timedOf(row);
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
    // First recorded as "wrong version byte", UNSUPPORTED_VERSION: 0x01 ^ 0x03 is 0x02, which
    // became the untimed layout; the token is the same, read as untimed its tag fails.
    a.add(
        bad(
            "version byte 0x02 on a layout 0x01 token (read as untimed: the tag fails)",
            flip(good, 0, 0x03),
            rowParts,
            Reason.WRONG_KEY_OR_TAMPERED));
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
        AesGcmFormat.sealTimed(
            AesGcmKey.of(K3), b("x"), T2026, row, HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabac"), null);
    a.add(
        bad("made with a key the ring does not hold", k3, rowParts, Reason.WRONG_KEY_OR_TAMPERED));
    a.add(
        bad(
            "a ring key's id on a token made with another key",
            withIdOf(k3, good),
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

  /**
   * Tokens of the untimed layout a ring must reject, and tokens relabelled from one layout to the
   * other; appended after the timed layout's, which stay as they were first recorded.
   */
  private ArrayNode invalidUntimed() {
    ArrayNode a = mapper.createArrayNode();
    AssociatedData row = AssociatedData.of("credentials", "api_key", "42");
    List<byte[]> rowParts = List.of(b("credentials"), b("api_key"), b("42"));
    byte[] nonce = HEX.parseHex("b1b2b3b4b5b6b7b8b9babbbc");
    AesGcmKey k1 = AesGcmKey.of(K1);
    byte[] good = AesGcmFormat.sealUntimed(k1, b("sk-live-0123456789abcdef"), row, nonce, null);
    byte[] unbound =
        AesGcmFormat.sealUntimed(k1, b("sk-live-0123456789abcdef"), none(), nonce, null);
    a.add(bad("layout 0x02: truncated below 33 bytes", Arrays.copyOf(good, 32), rowParts, MAL));
    a.add(
        bad(
            "layout 0x02: one byte of the tag cut off",
            Arrays.copyOf(good, good.length - 1),
            rowParts,
            WRONG));
    a.add(
        bad(
            "layout 0x02: cut to 33 bytes, a whole token's length",
            Arrays.copyOf(good, 33),
            rowParts,
            WRONG));
    a.add(bad("layout 0x01: version byte 0x03", flip(timedOf(row), 0, 0x02), rowParts, VERSION));
    a.add(bad("layout 0x01: version byte 0x81", flip(timedOf(row), 0, 0x80), rowParts, VERSION));
    a.add(bad("layout 0x02: version byte 0x03", flip(good, 0, 0x01), rowParts, VERSION));
    a.add(bad("layout 0x02: version byte 0x00", flip(good, 0, 0x02), rowParts, VERSION));
    a.add(bad("layout 0x02: flipped bit in the key id", flip(good, 4, 0x01), rowParts, WRONG));
    a.add(bad("layout 0x02: flipped bit in the nonce", flip(good, 5, 0x80), rowParts, WRONG));
    a.add(bad("layout 0x02: flipped bit in the ciphertext", flip(good, 17, 1), rowParts, WRONG));
    a.add(
        bad(
            "layout 0x02: flipped bit in the tag",
            flip(good, good.length - 1, 0x40),
            rowParts,
            WRONG));
    a.add(
        bad(
            "layout 0x02: moved to another row",
            good,
            List.of(b("credentials"), b("api_key"), b("43")),
            WRONG));
    a.add(bad("layout 0x02: no associated data given", good, List.of(), WRONG));
    a.add(
        bad(
            "layout 0x02 made without associated data: associated data given",
            unbound,
            rowParts,
            WRONG));
    a.add(
        bad(
            "layout 0x02 made without associated data: one empty part given",
            unbound,
            List.of(new byte[0]),
            WRONG));
    byte[] k3 = AesGcmFormat.sealUntimed(AesGcmKey.of(K3), b("x"), row, nonce, null);
    a.add(bad("layout 0x02: made with a key the ring does not hold", k3, rowParts, WRONG));
    a.add(
        bad(
            "layout 0x02: a ring key's id on a token made with another key",
            withIdOf(k3, good),
            rowParts,
            WRONG));
    byte[] timed =
        AesGcmFormat.sealTimed(k1, b("sk-live-0123456789abcdef"), T2026, row, nonce, null);
    a.add(bad("a layout 0x01 token relabelled 0x02", relabel(timed, 0x02), rowParts, WRONG));
    a.add(
        bad(
            "a layout 0x01 token without associated data relabelled 0x02",
            relabel(AesGcmFormat.sealTimed(k1, b("hello"), T2026, none(), nonce, null), 0x02),
            List.of(),
            WRONG));
    a.add(bad("a layout 0x02 token relabelled 0x01", relabel(good, 0x01), rowParts, WRONG));
    byte[] shortOne = AesGcmFormat.sealUntimed(k1, b("hello"), none(), nonce, null);
    a.add(
        bad(
            "a layout 0x02 token of 38 bytes relabelled 0x01 (under 41 bytes)",
            relabel(shortOne, 0x01),
            List.of(),
            MAL));
    a.add(bad("a layout 0x01 token cut to 33 bytes", Arrays.copyOf(timed, 33), rowParts, MAL));
    return a;
  }

  /** The timed token the first invalid vectors alter. */
  private static byte[] timedOf(AssociatedData row) {
    return AesGcmFormat.sealTimed(
        AesGcmKey.of(K1),
        b("sk-live-0123456789abcdef"),
        T2026,
        row,
        HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabac"),
        null);
  }

  /** A copy of {@code raw} carrying the key id of {@code idFrom}. */
  private static byte[] withIdOf(byte[] raw, byte[] idFrom) {
    byte[] copy = raw.clone();
    System.arraycopy(idFrom, 1, copy, 1, 4);
    return copy;
  }

  private static AssociatedData none() {
    return AssociatedData.empty();
  }

  private static byte[] relabel(byte[] raw, int version) {
    byte[] copy = raw.clone();
    copy[0] = (byte) version;
    return copy;
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
