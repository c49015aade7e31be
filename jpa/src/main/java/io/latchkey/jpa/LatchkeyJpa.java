package io.latchkey.jpa;

import static java.util.Objects.requireNonNull;

import io.latchkey.KeyRing;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.TokenFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the encrypted attributes of a persistence unit get their key ring, and the ring the
 * re-encryption job needs to rotate a column they wrote.
 *
 * <p>With Hibernate, put the ring in the persistence unit's properties under {@link #KEY_RING}:
 * each {@code EntityManagerFactory} then uses its own ring, and nothing is held in a static field.
 *
 * <pre>{@code
 * AeadKeyRing ring = AesGcmKeyRing.fromEnvironment("APP_DATA_KEY");
 * EntityManagerFactory emf =
 *     Persistence.createEntityManagerFactory("app", Map.of(LatchkeyJpa.KEY_RING, ring));
 * }</pre>
 *
 * <p>On another persistence provider, which gives converters no way to reach the unit's properties,
 * call {@link #register(KeyRing)} once at start-up: the process-wide ring that converters use when
 * their persistence unit gave them none. A converter subclass may also take its ring in its
 * constructor, injected by CDI or Spring. Hold the ring in a {@link
 * io.latchkey.crypto.aead.SwappableAeadKeyRing} to change keys without a restart.
 *
 * @since 0.1
 */
public final class LatchkeyJpa {
  /**
   * The persistence-unit property that holds the {@link KeyRing} (usually an {@link AeadKeyRing})
   * for the unit's encrypted attributes: {@value}.
   */
  public static final String KEY_RING = "latchkey.jpa.key_ring";

  private static volatile KeyRing registered;

  private LatchkeyJpa() {}

  /**
   * Sets the process-wide key ring, for encrypted attributes whose persistence unit has none under
   * {@link #KEY_RING}; replaces any ring registered before.
   *
   * @param ring the key ring
   */
  public static void register(KeyRing ring) {
    registered = requireNonNull(ring, "ring");
  }

  /** Forgets the process-wide key ring: encrypted attributes that relied on it fail from now on. */
  public static void unregister() {
    registered = null;
  }

  static Optional<KeyRing> registered() {
    return Optional.ofNullable(registered);
  }

  /**
   * Returns a view of a ring bound to one column's associated data, for the re-encryption job
   * ({@code ReencryptionJob.builder(ring)}), which rotates tokens through {@link KeyRing}: each
   * call passes the table and column as the associated data, as {@link Encrypted} and the
   * converters do.
   *
   * <p>Columns bound to their row's id need the id of each row instead; see docs/encryption.md for
   * the job's row-bound targets.
   *
   * @param ring the ring the column's tokens were made with
   * @param table the table's name, as the attribute maps it
   * @param column the column's name, as the attribute maps it
   * @return a key ring whose tokens are bound to that column
   */
  public static KeyRing columnRing(AeadKeyRing ring, String table, String column) {
    return new ColumnRing(
        requireNonNull(ring, "ring"),
        AssociatedData.of(requireNonNull(table, "table"), requireNonNull(column, "column")),
        table + "." + column);
  }

  /** A ring that passes one column's associated data on every call. */
  private record ColumnRing(AeadKeyRing ring, AssociatedData column, String name)
      implements KeyRing {
    @Override
    public String encrypt(byte[] plaintext) {
      // A ring that writes Fernet (the way back) binds nothing, as the converters' own writes.
      return ring.format() == TokenFormat.AES_GCM
          ? ring.encrypt(plaintext, column)
          : ring.encrypt(plaintext, AssociatedData.empty());
    }

    @Override
    public byte[] decrypt(String token) {
      return ring.decrypt(token, column);
    }

    @Override
    public byte[] decrypt(String token, Duration ttl) {
      return ring.decrypt(token, ttl, column);
    }

    @Override
    public String rotate(String token) {
      return ring.rotate(token, column);
    }

    @Override
    public boolean isPrimary(String token) {
      return ring.isPrimary(token, column);
    }

    @Override
    public String primaryKeyId() {
      return ring.primaryKeyId();
    }

    @Override
    public List<String> keyIds() {
      return ring.keyIds();
    }

    @Override
    public String toString() {
      return "ColumnRing[" + name + ", " + ring + "]";
    }
  }
}
