package io.latchkey.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 for tokens and keys: the JDK's encoder, and strict decoders that report failure by a
 * return value instead of an exception, so that a malformed token costs no exception. The token
 * decoder accepts exactly one spelling of any byte string, the one {@link #encode} writes (see
 * docs/fernet.md, "One spelling per token"); it works in place, one table lookup per two
 * characters. Shared by the Fernet and AES-GCM formats; not part of the API: the package is not
 * exported.
 */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();
  private static final byte[] URL_SAFE = new byte[128];
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANY_ALPHABET = new byte[128];

  /**
   * Two URL-safe characters (as the high and low byte of an index) to their 12 bits, or -1: one
   * lookup per two characters is what makes decoding large tokens cheap. Tried and slower: a 14-bit
   * index (a smaller table, but more shifts and masks per lookup).
   */
  private static final short[] URL_SAFE_PAIRS = new short[1 << 16];

  private static final VarHandle LONG_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static {
    Arrays.fill(URL_SAFE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      URL_SAFE[alphabet.charAt(i)] = (byte) i;
    }
    System.arraycopy(URL_SAFE, 0, ANY_ALPHABET, 0, 128);
    ANY_ALPHABET['+'] = 62;
    ANY_ALPHABET['/'] = 63;
    Arrays.fill(URL_SAFE_PAIRS, (short) -1);
    for (int i = 0; i < alphabet.length(); i++) {
      for (int j = 0; j < alphabet.length(); j++) {
        URL_SAFE_PAIRS[alphabet.charAt(i) << 8 | alphabet.charAt(j)] = (short) (i << 6 | j);
      }
    }
  }

  private Base64Url() {}

  /**
   * Encodes with the URL-safe alphabet and padding, as Python's urlsafe_b64encode does.
   *
   * @param bytes the bytes to encode
   * @return the encoding
   */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Returns the length of the padded encoding of {@code length} bytes.
   *
   * @param length a number of bytes
   * @return the number of characters {@link #encode} writes for them
   */
  public static int encodedLength(int length) {
    return (length + 2) / 3 * 4;
  }

  /**
   * Encodes {@code src} as {@link #encode(byte[])} does, into {@code dst} from {@code at}, so that
   * a token's prefix and its encoding share one array.
   *
   * @param src the bytes to encode
   * @param dst where to write; needs {@link #encodedLength(int)} bytes of room from {@code at}
   * @param at the index of the first character
   */
  public static void encode(byte[] src, byte[] dst, int at) {
    int full = src.length - src.length % 3;
    int o = at;
    for (int i = 0; i < full; i += 3, o += 4) {
      int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
      dst[o] = ALPHABET[bits >>> 18];
      dst[o + 1] = ALPHABET[(bits >>> 12) & 0x3f];
      dst[o + 2] = ALPHABET[(bits >>> 6) & 0x3f];
      dst[o + 3] = ALPHABET[bits & 0x3f];
    }
    int rem = src.length - full;
    if (rem > 0) {
      int bits = (src[full] & 0xff) << 16 | (rem == 2 ? (src[full + 1] & 0xff) << 8 : 0);
      dst[o] = ALPHABET[bits >>> 18];
      dst[o + 1] = ALPHABET[(bits >>> 12) & 0x3f];
      dst[o + 2] = rem == 2 ? ALPHABET[(bits >>> 6) & 0x3f] : (byte) '=';
      dst[o + 3] = '=';
    }
  }

  /**
   * Decodes canonical padded URL-safe base64.
   *
   * @param s the text
   * @return the bytes, or null unless {@code s} is exactly what {@link #encode} writes
   */
  public static byte[] decode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    int length = decode(bytes, bytes);
    return length < 0 ? null : Arrays.copyOf(bytes, length);
  }

  /**
   * Decodes URL-safe base64 held as Latin-1 bytes into {@code dst}, which may be {@code src} itself
   * (tokens are decoded in place: each group's output ends before the next group's input begins);
   * returns the decoded length, or -1 unless the input is exactly what {@link #encode} writes for
   * some bytes: URL-safe alphabet only, padded to a multiple of four characters with the one
   * padding that length needs, and unused bits of the last character zero. A character outside
   * Latin-1 arrives as '?', which is invalid. {@code dst} needs two bytes of room past the decoded
   * length, which in place it always has.
   *
   * @param src the text as Latin-1 bytes
   * @param dst where the bytes go
   * @return the decoded length, or -1
   */
  public static int decode(byte[] src, byte[] dst) {
    return decode(src, 0, dst);
  }

  /**
   * Decodes {@code src} from index {@code start} to its end, as {@link #decode(byte[], byte[])}
   * does, writing the bytes from {@code dst[0]}; {@code dst} may be {@code src} (a token's prefix
   * is skipped, and the rest decoded in place).
   *
   * @param src the text as Latin-1 bytes
   * @param start the index of the first character to decode
   * @param dst where the bytes go, from index 0; two bytes of room past the decoded length
   * @return the decoded length, or -1 unless the text is canonical
   */
  public static int decode(byte[] src, int start, byte[] dst) {
    // Unpadded input is a second spelling of the same bytes, and one pyca rejects.
    if ((src.length - start) % 4 != 0) {
      return -1;
    }
    int end = unpaddedLength(src, start);
    int rem = (end - start) % 4;
    if (rem == 1) {
      return -1;
    }
    int outLen = ((end - start) / 4) * 3 + (rem == 0 ? 0 : rem - 1);
    int fullEnd = end - rem;
    int in = start;
    int o = 0;
    long bad = 0;
    // Eight characters to six bytes; the eight-byte store's last two bytes are overwritten next.
    for (int octetEnd = start + ((fullEnd - start) & ~7); in < octetEnd; in += 8, o += 6) {
      long octet = (long) LONG_BIG_ENDIAN.get(src, in);
      long a = URL_SAFE_PAIRS[(int) (octet >>> 48)];
      long b = URL_SAFE_PAIRS[(int) (octet >>> 32) & 0xffff];
      long c = URL_SAFE_PAIRS[(int) (octet >>> 16) & 0xffff];
      long d = URL_SAFE_PAIRS[(int) octet & 0xffff];
      bad |= a | b | c | d;
      LONG_BIG_ENDIAN.set(dst, o, (a << 36 | b << 24 | c << 12 | d) << 16);
    }
    for (; in < fullEnd; in += 4, o += 3) {
      int hi = pair(src[in], src[in + 1]);
      int lo = pair(src[in + 2], src[in + 3]);
      bad |= hi | lo;
      int bits = hi << 12 | lo;
      dst[o] = (byte) (bits >> 16);
      dst[o + 1] = (byte) (bits >> 8);
      dst[o + 2] = (byte) bits;
    }
    if (bad < 0) {
      return -1;
    }
    return tail(src, in, rem, URL_SAFE, dst, o) ? outLen : -1;
  }

  private static int pair(byte first, byte second) {
    return URL_SAFE_PAIRS[(first & 0xff) << 8 | (second & 0xff)];
  }

  /** Length without padding, or -1 for padding on a length that is not a multiple of 4. */
  private static int unpaddedLength(byte[] src) {
    return unpaddedLength(src, 0);
  }

  /** The end index of {@code src[start..]} without padding, or -1 for padding at a bad length. */
  private static int unpaddedLength(byte[] src, int start) {
    int len = src.length - start;
    int end = src.length;
    if (end > start && src[end - 1] == '=') {
      end--;
      if (end > start && src[end - 1] == '=') {
        end--;
      }
      if (len % 4 != 0) {
        return -1;
      }
    }
    return end;
  }

  /** Decodes the last two or three characters; false if invalid or not canonical. */
  private static boolean tail(byte[] src, int in, int rem, byte[] table, byte[] out, int o) {
    if (rem == 2) {
      int a = sextet(src[in], table);
      int b = sextet(src[in + 1], table);
      // Non-zero unused bits would give two spellings of the same bytes: reject them.
      if ((a | b) < 0 || (b & 0x0f) != 0) {
        return false;
      }
      out[o] = (byte) (a << 2 | b >> 4);
    } else if (rem == 3) {
      int a = sextet(src[in], table);
      int b = sextet(src[in + 1], table);
      int c = sextet(src[in + 2], table);
      if ((a | b | c) < 0 || (c & 0x03) != 0) {
        return false;
      }
      int bits = a << 12 | b << 6 | c;
      out[o] = (byte) (bits >> 10);
      out[o + 1] = (byte) (bits >> 2);
    }
    return true;
  }

  /**
   * Decodes base64 in either alphabet, padded or not. Keys accept both alphabets because
   * pyca/cryptography does.
   *
   * @param s the text
   * @return the bytes, or null for anything that is not base64
   */
  public static byte[] decodeEitherAlphabet(CharSequence s) {
    byte[] src = s.toString().getBytes(StandardCharsets.ISO_8859_1);
    int end = unpaddedLength(src);
    if (end < 0 || end % 4 == 1) {
      return null;
    }
    int rem = end % 4;
    byte[] out = new byte[(end / 4) * 3 + (rem == 0 ? 0 : rem - 1)];
    int in = 0;
    int o = 0;
    for (int fullEnd = end - rem; in < fullEnd; in += 4, o += 3) {
      int a = sextet(src[in], ANY_ALPHABET);
      int b = sextet(src[in + 1], ANY_ALPHABET);
      int c = sextet(src[in + 2], ANY_ALPHABET);
      int d = sextet(src[in + 3], ANY_ALPHABET);
      if ((a | b | c | d) < 0) {
        return null;
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
    }
    return tail(src, in, rem, ANY_ALPHABET, out, o) ? out : null;
  }

  private static int sextet(byte c, byte[] table) {
    return c >= 0 ? table[c] : -1;
  }
}
