package io.latchkey.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latchkey's keyed AES-256-GCM format ({@link AesGcmKeyRing}) beside Tink's AES-256-GCM AEAD, in
 * one JMH run, and decryption with a 100-key ring beside a 1-key ring.
 *
 * <p>Run from the project root after {@code ./mvnw -B -pl bench -am package -DskipTests}:
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar AesGcmBenchmark
 * </pre>
 *
 * <p>Every benchmark runs on one thread, in throughput mode, for payloads of {@code size} random
 * bytes (32 B, a stored credential; 64 KiB). What each one measures:
 *
 * <p>The {@code aesGcm_*} benchmarks use a default ring, which writes the untimed layout ({@code
 * 0x02}: no timestamp, no {@code updateAAD} call without associated data, the same JDK calls as
 * Tink); the {@code aesGcm_*Timed} ones a ring built with {@code timestamps(true)}, which writes
 * the timed layout ({@code 0x01}: its 13-byte header authenticated in one {@code updateAAD} call).
 *
 * <ul>
 *   <li>{@code aesGcm_encrypt}, {@code aesGcm_decrypt}: the text form, {@code lk.} and base64, as
 *       stored in a column: {@link AesGcmKeyRing#encrypt(byte[])} (nonce from the per-thread DRBG,
 *       AES-256-GCM, base64) and {@link AesGcmKeyRing#decrypt(String)} of a token made in setup
 *       (base64 decode in place, key-id lookup, AES-256-GCM) with a one-key ring.
 *   <li>{@code aesGcm_encryptBytes}, {@code aesGcm_decryptBytes}: the byte form, no base64: the
 *       like-for-like comparison with Tink, whose ciphertexts are bytes.
 *   <li>{@code aesGcm_encryptBytesTimed}, {@code aesGcm_decryptBytesTimed}: the byte form in the
 *       timed layout: what the timestamp costs.
 *   <li>{@code aesGcm_decryptBound}: the text form bound to {@code AssociatedData.forRow(
 *       "credentials", "secret", 42)}: what a row-bound column costs to read; {@code
 *       aesGcm_decryptBytesBound} the same in the byte form.
 *   <li>{@code aesGcm_decrypt100Keys}: a 100-key ring decrypting a token made with its 57th key:
 *       the key is found by the id in the token, so this should cost what {@code aesGcm_decrypt}
 *       does.
 *   <li>{@code tink_encrypt}, {@code tink_decrypt}: Tink 1.24 AEAD with {@code AES256_GCM} (Tink
 *       output prefix: a 5-byte key identifier, 12-byte nonce, 16-byte tag), empty associated data.
 * </ul>
 *
 * <p>Warm-up iterations of 2 s matter: with 1 s, Tink's 64 KiB decryption had not been compiled yet
 * and measured 100 times slower.
 *
 * <p>Setup checks every round trip once and throws {@link IllegalStateException} if one is wrong,
 * so a broken benchmark cannot report numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(3)
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class AesGcmBenchmark {
  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];
  private static final AssociatedData ROW = AssociatedData.forRow("credentials", "secret", 42L);

  /** Payload size in bytes. */
  @Param({"32", "65536"})
  public int size;

  private byte[] payload;

  private AesGcmKeyRing ring;
  private String token;
  private byte[] tokenBytes;
  private AesGcmKeyRing timedRing;
  private byte[] timedTokenBytes;
  private String boundToken;
  private AesGcmKeyRing ring100;
  private String token100;

  private byte[] boundTokenBytes;

  private Aead tinkAead;
  private byte[] tinkCiphertext;
  private byte[] rowBytes;
  private byte[] tinkBoundCiphertext;

  /**
   * Makes the keys, rings and tokens, and checks every round trip.
   *
   * @throws GeneralSecurityException if Tink cannot be set up
   */
  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    payload = new byte[size];
    new Random(0x6c6b2e61L + size).nextBytes(payload);

    ring = AesGcmKeyRing.of(AesGcmKey.generate());
    token = ring.encrypt(payload);
    check("decrypt(encrypt(x))", ring.decrypt(token));
    tokenBytes = ring.encryptToBytes(payload, AssociatedData.empty());
    check("decryptBytes(encryptToBytes(x))", ring.decryptBytes(tokenBytes, AssociatedData.empty()));
    layout("default ring", tokenBytes, 0x02, 33);

    timedRing = ring.withTimestamps(true);
    timedTokenBytes = timedRing.encryptToBytes(payload, AssociatedData.empty());
    check("timed decryptBytes", timedRing.decryptBytes(timedTokenBytes, AssociatedData.empty()));
    layout("timed ring", timedTokenBytes, 0x01, 41);
    boundToken = ring.encrypt(payload, ROW);
    check("bound decrypt", ring.decrypt(boundToken, ROW));
    boundTokenBytes = ring.encryptToBytes(payload, ROW);
    check("bound decryptBytes", ring.decryptBytes(boundTokenBytes, ROW));

    List<AesGcmKey> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(AesGcmKey.generate());
    }
    ring100 = AesGcmKeyRing.builder().keys(keys).build();
    if (ring100.keyIds().size() != 100) {
      throw new IllegalStateException("the 100-key ring does not hold 100 keys");
    }
    token100 = AesGcmKeyRing.of(keys.get(56)).encrypt(payload);
    if (ring100.isPrimary(token100)) {
      throw new IllegalStateException("the 100-key token was made with the primary key");
    }
    check("100-key decrypt", ring100.decrypt(token100));

    AeadConfig.register();
    KeysetHandle handle =
        KeysetHandle.newBuilder()
            .addEntry(
                KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId()
                    .makePrimary())
            .build();
    tinkAead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    tinkCiphertext = tinkAead.encrypt(payload, NO_ASSOCIATED_DATA);
    check("tink decrypt(encrypt(x))", tinkAead.decrypt(tinkCiphertext, NO_ASSOCIATED_DATA));
    rowBytes = ROW.encoded();
    tinkBoundCiphertext = tinkAead.encrypt(payload, rowBytes);
    check("tink bound decrypt", tinkAead.decrypt(tinkBoundCiphertext, rowBytes));
  }

  private void check(String what, byte[] result) {
    if (!Arrays.equals(result, payload)) {
      throw new IllegalStateException(what + " did not round-trip");
    }
  }

  private void layout(String what, byte[] token, int version, int overhead) {
    if (token[0] != version || token.length != size + overhead) {
      throw new IllegalStateException(what + " did not write layout " + version);
    }
  }

  /**
   * Encrypts into the text form.
   *
   * @return the token
   */
  @Benchmark
  public String aesGcm_encrypt() {
    return ring.encrypt(payload);
  }

  /**
   * Decrypts the text form.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decrypt() {
    return ring.decrypt(token);
  }

  /**
   * Encrypts into the byte form.
   *
   * @return the token's bytes
   */
  @Benchmark
  public byte[] aesGcm_encryptBytes() {
    return ring.encryptToBytes(payload, AssociatedData.empty());
  }

  /**
   * Decrypts the byte form.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decryptBytes() {
    return ring.decryptBytes(tokenBytes, AssociatedData.empty());
  }

  /**
   * Encrypts into the byte form of the timed layout.
   *
   * @return the token's bytes
   */
  @Benchmark
  public byte[] aesGcm_encryptBytesTimed() {
    return timedRing.encryptToBytes(payload, AssociatedData.empty());
  }

  /**
   * Decrypts the byte form of the timed layout.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decryptBytesTimed() {
    return timedRing.decryptBytes(timedTokenBytes, AssociatedData.empty());
  }

  /**
   * Decrypts a token bound to a row.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decryptBound() {
    return ring.decrypt(boundToken, ROW);
  }

  /**
   * Decrypts the byte form of a token bound to a row.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decryptBytesBound() {
    return ring.decryptBytes(boundTokenBytes, ROW);
  }

  /**
   * Decrypts with a 100-key ring a token of its 57th key.
   *
   * @return the plaintext
   */
  @Benchmark
  public byte[] aesGcm_decrypt100Keys() {
    return ring100.decrypt(token100);
  }

  /**
   * Tink AES256_GCM encryption.
   *
   * @return the ciphertext
   * @throws GeneralSecurityException never, in practice
   */
  @Benchmark
  public byte[] tink_encrypt() throws GeneralSecurityException {
    return tinkAead.encrypt(payload, NO_ASSOCIATED_DATA);
  }

  /**
   * Tink AES256_GCM decryption.
   *
   * @return the plaintext
   * @throws GeneralSecurityException never, in practice
   */
  @Benchmark
  public byte[] tink_decrypt() throws GeneralSecurityException {
    return tinkAead.decrypt(tinkCiphertext, NO_ASSOCIATED_DATA);
  }

  /**
   * Tink AES256_GCM decryption with the row's encoded associated data.
   *
   * @return the plaintext
   * @throws GeneralSecurityException never, in practice
   */
  @Benchmark
  public byte[] tink_decryptBound() throws GeneralSecurityException {
    return tinkAead.decrypt(tinkBoundCiphertext, rowBytes);
  }
}
