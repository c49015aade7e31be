package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.InvalidTokenException;
import io.latchkey.crypto.FernetKeyRing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A key ring for the time a column moves from one token format to the other: it writes one format
 * and reads both, so the application keeps working while the re-encryption job converts the stored
 * tokens ({@code ReencryptionJob} in {@code latchkey-reencrypt}).
 *
 * <pre>{@code
 * // Fernet to AES-GCM: new tokens are AES-GCM, old Fernet tokens still read.
 * MigrationKeyRing ring = MigrationKeyRing.toAesGcm(
 *     AesGcmKeyRing.fromEnvironment("APP_DATA_KEY"),
 *     FernetKeyRing.fromEnvironment("APP_ENCRYPTION_KEY"));
 * }</pre>
 *
 * <p>Tokens are told apart by their framing ({@link TokenFormat#detect(String)}): a token starting
 * with {@value AesGcmKeyRing#TOKEN_PREFIX} goes to the AES-GCM ring, any other to the Fernet ring.
 * {@linkplain #rotate(String, AssociatedData) Rotating} a token of the other format converts it,
 * keeping its plaintext, with the writing ring's rule for time: a Fernet token converted to AES-GCM
 * keeps its timestamp only if the AES-GCM ring is built with {@link
 * AesGcmKeyRing.Builder#timestamps(boolean) timestamps(true)} (otherwise it becomes an untimed
 * token); an AES-GCM token converted to Fernet keeps its timestamp, or is stamped with the Fernet
 * ring clock's current time if it is untimed. {@linkplain #isPrimary(String, AssociatedData)
 * Primary} means "in the written format, under its primary key".
 *
 * <h2>Security</h2>
 *
 * <p>A Fernet token carries no associated data: it is read whatever associated data the caller
 * gives, which is the weakness the migration to AES-GCM removes; once the job reports the column
 * clean, drop the Fernet ring. When the ring writes Fernet, {@link #encrypt(byte[],
 * AssociatedData)} refuses non-empty associated data rather than drop it silently; rotating an
 * AES-GCM token to Fernet uses the associated data to read it.
 *
 * @since 0.1
 */
public final class MigrationKeyRing implements AeadKeyRing {
  private final AesGcmKeyRing aesGcm;
  private final FernetKeyRing fernet;
  private final TokenFormat writes;
  private final List<String> keyIds;

  private MigrationKeyRing(AesGcmKeyRing aesGcm, FernetKeyRing fernet, TokenFormat writes) {
    this.aesGcm = aesGcm;
    this.fernet = fernet;
    this.writes = writes;
    List<String> ids = new ArrayList<>();
    if (writes == TokenFormat.AES_GCM) {
      ids.addAll(aesGcm.keyIds());
      ids.addAll(fernet.keyIds());
    } else {
      ids.addAll(fernet.keyIds());
      ids.addAll(aesGcm.keyIds());
    }
    this.keyIds = List.copyOf(ids);
  }

  /**
   * Returns a ring that writes AES-GCM tokens and reads both AES-GCM and Fernet tokens.
   *
   * @param target the ring that writes, and reads AES-GCM tokens
   * @param legacy the ring that reads the Fernet tokens still stored
   * @return the ring
   */
  public static MigrationKeyRing toAesGcm(AesGcmKeyRing target, FernetKeyRing legacy) {
    return new MigrationKeyRing(
        requireNonNull(target, "target"), requireNonNull(legacy, "legacy"), TokenFormat.AES_GCM);
  }

  /**
   * Returns a ring that writes Fernet tokens and reads both Fernet and AES-GCM tokens: the way back
   * from AES-GCM.
   *
   * @param target the ring that writes, and reads Fernet tokens
   * @param legacy the ring that reads the AES-GCM tokens still stored
   * @return the ring
   */
  public static MigrationKeyRing toFernet(FernetKeyRing target, AesGcmKeyRing legacy) {
    return new MigrationKeyRing(
        requireNonNull(legacy, "legacy"), requireNonNull(target, "target"), TokenFormat.FERNET);
  }

  private static boolean isAesGcm(String token) {
    return requireNonNull(token, "token").startsWith(AesGcmKeyRing.TOKEN_PREFIX);
  }

  /**
   * Encrypts in the written format.
   *
   * @param plaintext the bytes to protect
   * @param associatedData what the token is bound to; must be empty when the ring writes Fernet
   * @return the token
   * @throws IllegalArgumentException if the ring writes Fernet and associated data is given
   */
  @Override
  public String encrypt(byte[] plaintext, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    if (writes == TokenFormat.AES_GCM) {
      return aesGcm.encrypt(plaintext, associatedData);
    }
    requireNoAssociatedData(associatedData);
    return fernet.encrypt(plaintext);
  }

  @Override
  public byte[] decrypt(String token, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    return isAesGcm(token) ? aesGcm.decrypt(token, associatedData) : fernet.decrypt(token);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    return isAesGcm(token)
        ? aesGcm.decrypt(token, ttl, associatedData)
        : fernet.decrypt(token, ttl);
  }

  /**
   * Re-encrypts a token of either format under the written format's primary key, keeping its
   * plaintext; the time it records follows the rule in the class description.
   *
   * @param token a token of either format
   * @param associatedData what the token is bound to (an AES-GCM token); the new token is bound to
   *     it when the ring writes AES-GCM
   * @return the token in the written format
   * @throws InvalidTokenException if the token is rejected
   */
  @Override
  public String rotate(String token, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    boolean aes = isAesGcm(token);
    if (aes == (writes == TokenFormat.AES_GCM)) {
      return aes ? aesGcm.rotate(token, associatedData) : fernet.rotate(token);
    }
    if (aes) {
      AesGcmFormat.Opened opened = aesGcm.openText(token, associatedData);
      try {
        Optional<Instant> at = opened.madeAt();
        return at.isPresent()
            ? fernet.encrypt(opened.plaintext(), at.get())
            : fernet.encrypt(opened.plaintext());
      } finally {
        Arrays.fill(opened.plaintext(), (byte) 0);
      }
    }
    byte[] plaintext = fernet.decrypt(token);
    try {
      // Reading the time verifies the token a second time: only for a ring that keeps it.
      OptionalLong at =
          aesGcm.writesTimestamps()
              ? OptionalLong.of(fernet.extractTimestamp(token).getEpochSecond())
              : OptionalLong.empty();
      return aesGcm.reseal(plaintext, at, associatedData);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public boolean isPrimary(String token, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    if (isAesGcm(token)) {
      return writes == TokenFormat.AES_GCM && aesGcm.isPrimary(token, associatedData);
    }
    return writes == TokenFormat.FERNET && fernet.isPrimary(token);
  }

  /**
   * Returns the format new tokens are written in.
   *
   * @return the written format
   */
  @Override
  public TokenFormat format() {
    return writes;
  }

  /**
   * Returns the id of the written format's primary key.
   *
   * @return the primary key's identifier
   */
  @Override
  public String primaryKeyId() {
    return keyIds.get(0);
  }

  /**
   * Returns the ids of the written format's keys, primary first, then those of the other format.
   *
   * @return an unmodifiable list
   */
  @Override
  public List<String> keyIds() {
    return keyIds;
  }

  /**
   * Returns a description naming the written format and both rings' key ids, never key material.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "MigrationKeyRing[writes="
        + writes.id()
        + ", aes-gcm="
        + aesGcm
        + ", fernet="
        + fernet
        + "]";
  }

  /**
   * What Jackson calls to read a {@code MigrationKeyRing}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key.
   * It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String}
   * factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static MigrationKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.aead.MigrationKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }

  private static void requireNoAssociatedData(AssociatedData associatedData) {
    if (!associatedData.isEmpty()) {
      throw new IllegalArgumentException(
          "the Fernet format carries no associated data; encrypt without it, or write AES-GCM");
    }
  }
}
