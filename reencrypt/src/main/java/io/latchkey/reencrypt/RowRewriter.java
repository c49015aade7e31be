package io.latchkey.reencrypt;

import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.TokenFormat;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decides what the job does with one stored value, and makes its replacement; writes nothing.
 * Plaintexts exist only inside {@link #plan}, and are wiped before it returns.
 */
final class RowRewriter {

  /** What to do with a row. */
  enum Kind {
    /** {@code NULL} or empty: left alone. */
    EMPTY,
    /** Under the primary key and readable: left alone. */
    CURRENT,
    /** A token to replace with the {@linkplain Plan#replacement() rotated} one. */
    ROTATE,
    /** A plaintext to replace with the {@linkplain Plan#replacement() token} that encrypts it. */
    ENCRYPT,
    /** No key reads it: left alone and {@linkplain Plan#failure() reported}. */
    FAIL
  }

  /**
   * One row's plan.
   *
   * @param kind what to do
   * @param replacement the value to write for {@link Kind#ROTATE} and {@link Kind#ENCRYPT}
   * @param failure the value-free reason for {@link Kind#FAIL}
   */
  record Plan(Kind kind, String replacement, String failure) {
    static final Plan EMPTY = new Plan(Kind.EMPTY, null, null);
    static final Plan CURRENT = new Plan(Kind.CURRENT, null, null);

    static Plan fail(String reason) {
      return new Plan(Kind.FAIL, null, reason);
    }

    /** Hides the replacement, a token: reports and logs name rows, not values. */
    @Override
    public String toString() {
      return "Plan[" + kind + (failure == null ? "" : ": " + failure) + "]";
    }
  }

  /**
   * How every Fernet token starts: the version byte 0x80, then the top 22 bits of its 64-bit
   * timestamp, which stay zero for more than a hundred thousand years.
   */
  static final String FERNET_PREFIX = "gAAAA";

  /** How every AES-GCM token starts. */
  static final String AES_GCM_PREFIX = AesGcmKeyRing.TOKEN_PREFIX;

  /** What a plaintext row that is not well-formed UTF-16 fails with. */
  static final String NOT_WELL_FORMED =
      "not well-formed text (an unpaired surrogate), which UTF-8 cannot encode; not encrypted";

  private final KeyRing ring;
  private final boolean encryptPlaintext;

  RowRewriter(KeyRing ring, boolean encryptPlaintext) {
    this.ring = ring;
    this.encryptPlaintext = encryptPlaintext;
  }

  /**
   * Plans one row.
   *
   * @param value the stored value, empty for {@code NULL}
   * @param ad the row's associated data, or null when the target binds none (the ring is then used
   *     as a plain {@link KeyRing})
   */
  Plan plan(String value, AssociatedData ad) {
    if (value.isEmpty()) {
      return Plan.EMPTY;
    }
    if (encryptPlaintext && TokenFormat.detect(value).isEmpty()) {
      String damaged = damagedToken(value);
      // Encrypting a damaged token would bury it: the row would read back as the token's text,
      // and the report would call it clean.
      return damaged == null ? encrypt(value, ad) : Plan.fail(damaged);
    }
    boolean primary;
    try {
      primary = ad == null ? ring.isPrimary(value) : aead().isPrimary(value, ad);
    } catch (RuntimeException e) {
      return Plan.fail("verification failed: " + e.getClass().getSimpleName());
    }
    if (primary) {
      // The tag proves the primary key made the token; decrypting proves it reads.
      try {
        Arrays.fill(ad == null ? ring.decrypt(value) : aead().decrypt(value, ad), (byte) 0);
        return Plan.CURRENT;
      } catch (InvalidTokenException e) {
        return Plan.fail(e.reason().message());
      } catch (RuntimeException e) {
        return Plan.fail("decryption failed: " + e.getClass().getSimpleName());
      }
    }
    try {
      String rotated = ad == null ? ring.rotate(value) : aead().rotate(value, ad);
      return new Plan(Kind.ROTATE, rotated, null);
    } catch (InvalidTokenException e) {
      return Plan.fail(e.reason().message());
    } catch (RuntimeException e) {
      return Plan.fail("rotation failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Tells whether a value that {@link TokenFormat#detect} does not recognise still looks like a
   * token of either format, which only damage makes unrecognisable: once whitespace is removed, it
   * starts with a Fernet token's {@value #FERNET_PREFIX} or an AES-GCM token's {@value
   * #AES_GCM_PREFIX} and the rest is URL-safe base64. Whitespace here is every {@linkplain
   * #isSpace(char) space}, invisible ones included.
   *
   * @return the value-free reason to report, or null for a value that looks like a plaintext
   */
  static String damagedToken(String value) {
    StringBuilder compact = new StringBuilder(value.length());
    boolean whitespace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isSpace(c)) {
        whitespace = true;
      } else {
        compact.append(c);
      }
    }
    String t = compact.toString();
    int body;
    if (t.startsWith(FERNET_PREFIX)) {
      body = 0;
    } else if (t.startsWith(AES_GCM_PREFIX)) {
      body = AES_GCM_PREFIX.length();
    } else {
      return null;
    }
    for (int i = body; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean base64 =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '=';
      if (!base64) {
        return null;
      }
    }
    if (whitespace && TokenFormat.detect(t).isPresent()) {
      return "a token with whitespace in or around it (such as a trailing line break or space);"
          + " not encrypted as a plaintext";
    }
    return "looks like a damaged token (truncated, altered"
        + (whitespace ? " or with whitespace in it" : "")
        + "); not encrypted as a plaintext";
  }

  /**
   * Whether a character is whitespace for {@link #damagedToken}: Java's whitespace, every Unicode
   * space separator (the no-break spaces U+00A0, U+2007 and U+202F, which {@link
   * Character#isWhitespace} leaves out), and the invisible characters a copy and paste brings along
   * (the byte-order mark U+FEFF, the zero-width space, non-joiner and joiner U+200B to U+200D, the
   * word joiner U+2060 and the Mongolian vowel separator U+180E).
   */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == '\uFEFF'
        || (c >= '\u200B' && c <= '\u200D')
        || c == '\u2060'
        || c == '\u180E';
  }

  private Plan encrypt(String value, AssociatedData ad) {
    byte[] plaintext = utf8(value);
    if (plaintext == null) {
      // getBytes would write '?' for the surrogate: the row would decrypt to another text.
      return Plan.fail(NOT_WELL_FORMED);
    }
    try {
      // A ring that writes Fernet cannot bind a token: the format has no associated data.
      boolean bind = ad != null && aead().format() == TokenFormat.AES_GCM;
      String token = bind ? aead().encrypt(plaintext, ad) : ring.encrypt(plaintext);
      return new Plan(Kind.ENCRYPT, token, null);
    } catch (RuntimeException e) {
      return Plan.fail("encryption failed: " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * The value's UTF-8 bytes, or null if it holds an unpaired surrogate; every buffer that held a
   * byte of it is wiped, whichever way it ends.
   */
  static byte[] utf8(String value) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // Three bytes per UTF-16 unit is UTF-8's most: a surrogate pair's four bytes take two units.
    byte[] buffer = new byte[Math.multiplyExact(value.length(), 3)];
    ByteBuffer out = ByteBuffer.wrap(buffer);
    try {
      if (!encoder.encode(CharBuffer.wrap(value), out, true).isUnderflow()
          || !encoder.flush(out).isUnderflow()) {
        return null;
      }
      return Arrays.copyOf(buffer, out.position());
    } finally {
      Arrays.fill(buffer, (byte) 0);
    }
  }

  private AeadKeyRing aead() {
    // The builder refuses bindings unless the ring is an AeadKeyRing.
    return (AeadKeyRing) ring;
  }
}
