package io.latchkey.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 for tokens and keys: the JDK's encoder, and a strict decoder that reads straight from a
 * {@code String} and reports failure by returning {@code null} instead of throwing, so that a
 * malformed token costs no exception and no intermediate byte array.
 */
final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();
  private static final byte[] URL_SAFE = new byte[128];
  private static final byte[] ANY_ALPHABET = new byte[128];

  static {
    Arrays.fill(URL_SAFE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      URL_SAFE[alphabet.charAt(i)] = (byte) i;
    }
    System.arraycopy(URL_SAFE, 0, ANY_ALPHABET, 0, 128);
    ANY_ALPHABET['+'] = 62;
    ANY_ALPHABET['/'] = 63;
  }

  private Base64Url() {}

  /** Encodes with the URL-safe alphabet and padding, as Python's urlsafe_b64encode does. */
  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Decodes URL-safe base64, padded or not; returns null for anything else. */
  static byte[] decode(CharSequence s) {
    return decode(s, URL_SAFE);
  }

  /**
   * Decodes base64 in either alphabet, padded or not; returns null for anything else. Keys accept
   * both alphabets because pyca/cryptography does.
   */
  static byte[] decodeEitherAlphabet(CharSequence s) {
    return decode(s, ANY_ALPHABET);
  }

  private static byte[] decode(CharSequence s, byte[] table) {
    int len = s.length();
    int end = len;
    if (end > 0 && s.charAt(end - 1) == '=') {
      end--;
      if (end > 0 && s.charAt(end - 1) == '=') {
        end--;
      }
      if (len % 4 != 0) {
        return null; // padding present but the length is not a whole number of quads
      }
    }
    int rem = end % 4;
    if (rem == 1) {
      return null;
    }
    int outLen = (end / 4) * 3 + (rem == 0 ? 0 : rem - 1);
    byte[] out = new byte[outLen];
    int in = 0;
    int o = 0;
    int fullEnd = end - rem;
    while (in < fullEnd) {
      int a = sextet(s.charAt(in), table);
      int b = sextet(s.charAt(in + 1), table);
      int c = sextet(s.charAt(in + 2), table);
      int d = sextet(s.charAt(in + 3), table);
      if ((a | b | c | d) < 0) {
        return null;
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      in += 4;
      o += 3;
    }
    if (rem == 2) {
      int a = sextet(s.charAt(in), table);
      int b = sextet(s.charAt(in + 1), table);
      // Non-zero unused bits would give two spellings of the same bytes: reject them.
      if ((a | b) < 0 || (b & 0x0f) != 0) {
        return null;
      }
      out[o] = (byte) (a << 2 | b >> 4);
    } else if (rem == 3) {
      int a = sextet(s.charAt(in), table);
      int b = sextet(s.charAt(in + 1), table);
      int c = sextet(s.charAt(in + 2), table);
      if ((a | b | c) < 0 || (c & 0x03) != 0) {
        return null;
      }
      int bits = a << 12 | b << 6 | c;
      out[o] = (byte) (bits >> 10);
      out[o + 1] = (byte) (bits >> 2);
    }
    return out;
  }

  private static int sextet(char c, byte[] table) {
    return c < 128 ? table[c] : -1;
  }
}
