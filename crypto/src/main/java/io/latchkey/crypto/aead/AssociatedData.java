package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Context that a ciphertext is bound to without being encrypted: typically the table, the column
 * and the row id a value is stored in, so that a ciphertext copied into another row or column is
 * rejected there.
 *
 * <p>Associated data is an ordered list of parts (byte strings, or text as UTF-8). It is encoded as
 * each part's length (four bytes, big-endian) followed by its bytes, so that {@code ("ab", "c")}
 * and {@code ("a", "bc")} differ; see docs/encryption.md for the exact bytes. It is not stored in
 * the token: whoever decrypts must supply the same parts again.
 *
 * <pre>{@code
 * AssociatedData ad = AssociatedData.forRow("credentials", "api_key", credential.id());
 * String token = ring.encrypt(apiKey, ad);
 * Secret back = ring.decryptSecret(token, ad);  // another row's id: InvalidTokenException
 * }</pre>
 *
 * <p>Values are immutable, compare by content, and print only their number of parts: a row id is
 * not a secret, but it may be personal data that has no place in a log line.
 *
 * @since 0.1
 */
public final class AssociatedData {
  private static final AssociatedData EMPTY = new AssociatedData(new byte[0], 0);

  private final byte[] encoded;
  private final int parts;

  private AssociatedData(byte[] encoded, int parts) {
    this.encoded = encoded;
    this.parts = parts;
  }

  /**
   * Returns the associated data with no parts: what a token made without associated data is bound
   * to.
   *
   * @return the empty associated data
   */
  public static AssociatedData empty() {
    return EMPTY;
  }

  /**
   * Returns associated data made of text parts, each encoded as UTF-8.
   *
   * @param parts the parts, in order; an empty string is a part too
   * @return the associated data
   */
  public static AssociatedData of(String... parts) {
    requireNonNull(parts, "parts");
    AssociatedData ad = EMPTY;
    for (String part : parts) {
      ad = ad.with(part);
    }
    return ad;
  }

  /**
   * Returns associated data made of byte parts.
   *
   * @param parts the parts, in order; copied
   * @return the associated data
   */
  public static AssociatedData ofBytes(byte[]... parts) {
    requireNonNull(parts, "parts");
    AssociatedData ad = EMPTY;
    for (byte[] part : parts) {
      ad = ad.withBytes(part);
    }
    return ad;
  }

  /**
   * Returns the associated data Latchkey's integrations use for a value stored in a database
   * column: the three text parts {@code table}, {@code column} and the row id's {@code toString()}
   * (a number in decimal, a UUID in its canonical form). The re-encryption job and the attribute
   * converters build it the same way, so each reads what the other wrote when both are given the
   * same table and column names.
   *
   * @param table the table's name, as the application spells it
   * @param column the column's name, as the application spells it
   * @param rowId the row's primary key
   * @return the associated data
   * @throws IllegalArgumentException if {@code rowId} is an array, whose {@code toString()} is not
   *     its content: bind such a key with {@link #withBytes(byte[])}
   */
  public static AssociatedData forRow(String table, String column, Object rowId) {
    requireNonNull(table, "table");
    requireNonNull(column, "column");
    requireNonNull(rowId, "rowId");
    if (rowId.getClass().isArray()) {
      throw new IllegalArgumentException(
          "a row id that is an array has no stable text; use of(table, column).withBytes(id)");
    }
    return of(table, column, rowId.toString());
  }

  /**
   * Returns a copy with a text part appended, encoded as UTF-8.
   *
   * @param part the part
   * @return the longer associated data
   */
  public AssociatedData with(String part) {
    requireNonNull(part, "part");
    return withBytes(part.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns a copy with a byte part appended.
   *
   * @param part the part; copied
   * @return the longer associated data
   */
  public AssociatedData withBytes(byte[] part) {
    requireNonNull(part, "part");
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 4 + part.length);
    int at = encoded.length;
    longer[at] = (byte) (part.length >>> 24);
    longer[at + 1] = (byte) (part.length >>> 16);
    longer[at + 2] = (byte) (part.length >>> 8);
    longer[at + 3] = (byte) part.length;
    System.arraycopy(part, 0, longer, at + 4, part.length);
    return new AssociatedData(longer, parts + 1);
  }

  /**
   * Returns the number of parts.
   *
   * @return zero for {@link #empty()}
   */
  public int size() {
    return parts;
  }

  /**
   * Tells whether this has no parts.
   *
   * @return {@code true} for {@link #empty()}
   */
  public boolean isEmpty() {
    return parts == 0;
  }

  /**
   * Returns the encoding that is authenticated with a token: every part's four-byte big-endian
   * length followed by its bytes.
   *
   * @return a copy of the encoded bytes; empty when there are no parts
   */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The encoding, not copied, for the ciphers. */
  byte[] bytes() {
    return encoded;
  }

  /**
   * Compares the parts.
   *
   * @param o another object
   * @return {@code true} for associated data with the same parts in the same order
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof AssociatedData other && Arrays.equals(encoded, other.encoded);
  }

  /**
   * Returns a hash of the parts.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /**
   * Returns {@code AssociatedData[N parts]}; never the parts themselves.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "AssociatedData[" + parts + (parts == 1 ? " part]" : " parts]");
  }
}
