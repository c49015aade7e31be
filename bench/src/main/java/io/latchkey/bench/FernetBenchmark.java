package io.latchkey.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.macasaet.fernet.Key;
import com.macasaet.fernet.Token;
import com.macasaet.fernet.TokenValidationException;
import com.macasaet.fernet.Validator;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.temporal.TemporalAmount;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fernet encryption and decryption with Latchkey, side by side with fernet-java8 (the other Java
 * Fernet implementation), Tink's AES-GCM AEAD (the usual "just use Tink" alternative; not Fernet,
 * so not interoperable) and the bare JDK primitives a Fernet decrypt cannot avoid.
 *
 * <p>Run from the project root after {@code ./mvnw -B -pl bench -am package -DskipTests}:
 *
 * <pre>
 * # full measurement, with allocation rates, results as JSON:
 * java -jar bench/target/benchmarks.jar FernetBenchmark -prof gc -rf json -rff bench/target/fernet.json
 * # quick look:
 * java -jar bench/target/benchmarks.jar FernetBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 *
 * <p>Every benchmark runs on one thread, in throughput mode (operations per second), for payloads
 * of {@code size} random bytes (32 B, 1 KiB, 64 KiB). What each one measures:
 *
 * <ul>
 *   <li>{@code latchkey_encrypt}: {@link FernetKeyRing#encrypt(byte[])} with a one-key ring: IV
 *       from the per-thread JDK DRBG (copied from its 4 KiB requests, so every 256th operation also
 *       pays for a request), AES-128-CBC, HMAC-SHA256, URL-safe base64.
 *   <li>{@code latchkey_decrypt}: {@link FernetKeyRing#decrypt(String)} of a token made in setup:
 *       base64 decode, HMAC check, AES-CBC decrypt, padding check, copy of the plaintext. No TTL
 *       check (the ring's {@code decrypt(String)} has none).
 *   <li>{@code latchkey_decrypt5Keys}: a ring {@code of(k1, k2, k3, k4, k5)} decrypting a token
 *       made with {@code k5}, the last key. The ring first tries the key that verified the previous
 *       token, so after the first operation this costs one HMAC per token, as it does for an
 *       application reading data that is mostly under one previous key; the first operation costs
 *       five. This is the steady state, not the worst case.
 *   <li>{@code fernetJava8_encrypt}: {@code Token.generate(random, key, payload).serialise()}, with
 *       one {@code new SecureRandom()} made in setup (the library's overload without a random
 *       source makes a new {@code SecureRandom} per call, which would be slower). fernet-java8
 *       calls {@code Cipher.getInstance} and {@code Mac.getInstance} on every operation; that is
 *       part of what is measured.
 *   <li>{@code fernetJava8_decrypt}: {@code Token.fromString(token).validateAndDecrypt(key,
 *       validator)} each operation, so the base64 decode and parse are included as they are in
 *       Latchkey's decrypt. The validator returns the bytes unchanged and has a 100-year TTL (the
 *       library's default of 60 s would reject the setup token mid-run); the library still checks
 *       the timestamp, then the HMAC, then decrypts, on every operation.
 *   <li>{@code fernetJava8_decrypt5Keys}: the library's own multi-key path, {@code
 *       validateAndDecrypt(Collection<Key>, validator)} with the five keys in order {@code k1..k5}
 *       and a token made with {@code k5}. It runs {@code keys.parallelStream().filter(token::
 *       isValidSignature).findFirst()} (so it uses the common fork-join pool, one worker on a
 *       two-core machine, besides the calling thread), then the single-key {@code
 *       validateAndDecrypt}, which checks the matching key's HMAC again: up to six HMACs per token.
 *   <li>{@code fernetJava8_decrypt5KeysSequential}: the same work on the calling thread only:
 *       {@code isValidSignature} for each key in order until one matches (five HMACs for a {@code
 *       k5} token), then the single-key {@code validateAndDecrypt} with that key (a sixth HMAC, as
 *       in the library's own path).
 *   <li>{@code tink_encrypt}, {@code tink_decrypt}: Tink AEAD, {@code AES128_GCM} (Tink output
 *       prefix: a 5-byte key identifier, 12-byte nonce, 16-byte tag), empty associated data.
 *   <li>{@code tink_decrypt5Keys}: a five-key keyset whose primary is the newest key, decrypting a
 *       ciphertext made when the oldest key was primary. Tink finds the key by the identifier in
 *       the ciphertext's prefix, so the number of keys costs a lookup, not extra trials.
 *   <li>{@code jdk_hmacSha256}: a pre-initialised {@code Mac} (HmacSHA256) over the signed part of
 *       a Fernet token for this payload (25 + padded bytes of a 57 + padded byte buffer).
 *   <li>{@code jdk_aesCbcDecrypt}: a pre-created {@code Cipher} (AES/CBC/NoPadding) initialised
 *       with the IV and run over the padded ciphertext into a reused buffer.
 *   <li>{@code jdk_hmacPlusAesCbcDecrypt}: both of the above: the floor under a Fernet decrypt,
 *       without base64, padding check or copying out the plaintext.
 *   <li>{@code jdk_aesCbcPlusHmacEncrypt}: AES/CBC/PKCS5Padding over the payload into a reused
 *       frame, then the HMAC: the floor under a Fernet encrypt, without IV generation or base64.
 *   <li>{@code latchkey_decrypt5KeysAlternating}: the 5-key ring reading tokens that alternate
 *       between {@code k5} and the primary, which defeats the last-match hint every time (five
 *       HMACs, then two).
 * </ul>
 *
 * <p>Setup checks every library's round trip once (and that Latchkey and fernet-java8 read each
 * other's tokens), and throws {@link IllegalStateException} if one is wrong, so a broken benchmark
 * cannot report numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class FernetBenchmark {

  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];
  private static final int FERNET_HEADER = 1 + 8 + 16;
  private static final int FERNET_HMAC = 32;

  /** Payload size in bytes. */
  @Param({"32", "1024", "65536"})
  public int size;

  private byte[] payload;

  // Latchkey
  private FernetKeyRing ring;
  private FernetKeyRing ring5;
  private String latchkeyToken;
  private String latchkeyToken5;
  private FernetKeyRing ring5Alternating;
  private boolean alternate;

  // fernet-java8
  private SecureRandom fernetRandom;
  private Key fernetKey;
  private List<Key> fernetKeys5;
  private String fernetToken;
  private String fernetToken5;
  private final Validator<byte[]> fernetValidator = new BytesValidator();

  // Tink
  private Aead tinkAead;
  private Aead tinkAead5;
  private byte[] tinkCiphertext;
  private byte[] tinkCiphertext5;

  // JDK primitives
  private Mac jdkMac;
  private Cipher jdkCipher;
  private SecretKeySpec jdkAesKey;
  private byte[] jdkRaw;
  private byte[] jdkTag;
  private byte[] jdkOut;
  private Cipher jdkEncryptor;
  private byte[] jdkEncrypted;
  private int jdkPadded;

  /** A fernet-java8 validator that returns the plaintext bytes and accepts old tokens. */
  static final class BytesValidator implements Validator<byte[]> {
    private static final Duration TTL = Duration.ofDays(365L * 100);

    @Override
    public TemporalAmount getTimeToLive() {
      return TTL;
    }

    @Override
    public Function<byte[], byte[]> getTransformer() {
      return Function.identity();
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    payload = new byte[size];
    new Random(0x1a7c4e7L + size).nextBytes(payload);
    SecureRandom keyRandom = new SecureRandom();

    // Five key strings shared by Latchkey and fernet-java8: k1 is index 0, k5 index 4.
    String[] keyStrings = new String[5];
    FernetKey[] lk = new FernetKey[5];
    Key[] fk = new Key[5];
    for (int i = 0; i < 5; i++) {
      byte[] bytes = new byte[32];
      keyRandom.nextBytes(bytes);
      keyStrings[i] = Base64.getUrlEncoder().encodeToString(bytes);
      lk[i] = FernetKey.parse(keyStrings[i]);
      fk[i] = new Key(keyStrings[i]);
    }

    setUpLatchkey(lk);
    setUpFernetJava8(fk);
    checkInterop();
    setUpTink();
    setUpJdk(keyRandom);
  }

  private void setUpLatchkey(FernetKey[] k) {
    ring = FernetKeyRing.of(k[0]);
    latchkeyToken = ring.encrypt(payload);
    check("latchkey decrypt(encrypt(x))", ring.decrypt(latchkeyToken));

    ring5 = FernetKeyRing.of(k[0], k[1], k[2], k[3], k[4]);
    latchkeyToken5 = FernetKeyRing.of(k[4]).encrypt(payload);
    if (ring5.isPrimary(latchkeyToken5)) {
      throw new IllegalStateException("latchkey 5-key token was made with the primary key");
    }
    if (ring5.keyIds().size() != 5) {
      throw new IllegalStateException("latchkey 5-key ring does not hold 5 distinct keys");
    }
    check("latchkey 5-key decrypt", ring5.decrypt(latchkeyToken5));
    ring5Alternating = FernetKeyRing.of(k[0], k[1], k[2], k[3], k[4]);
    check("latchkey alternating 5-key decrypt", latchkey_decrypt5KeysAlternating());
    check("latchkey alternating 5-key decrypt", latchkey_decrypt5KeysAlternating());
  }

  private void setUpFernetJava8(Key[] k) {
    fernetRandom = new SecureRandom();
    fernetKey = k[0];
    fernetToken = Token.generate(fernetRandom, fernetKey, payload).serialise();
    check(
        "fernet-java8 decrypt(encrypt(x))",
        Token.fromString(fernetToken).validateAndDecrypt(fernetKey, fernetValidator));

    fernetKeys5 = List.of(k[0], k[1], k[2], k[3], k[4]);
    fernetToken5 = Token.generate(fernetRandom, k[4], payload).serialise();
    if (Token.fromString(fernetToken5).isValidSignature(k[0])) {
      throw new IllegalStateException("fernet-java8 5-key token verifies under the first key");
    }
    check(
        "fernet-java8 5-key decrypt",
        Token.fromString(fernetToken5).validateAndDecrypt(fernetKeys5, fernetValidator));
    check("fernet-java8 5-key sequential decrypt", fernetJava8_decrypt5KeysSequential());
  }

  /** Both are Fernet: each must read the other's tokens, or the comparison means nothing. */
  private void checkInterop() {
    check(
        "fernet-java8 reading a latchkey token",
        Token.fromString(latchkeyToken).validateAndDecrypt(fernetKey, fernetValidator));
    check("latchkey reading a fernet-java8 token", ring.decrypt(fernetToken));
    check("latchkey 5-key ring reading a fernet-java8 token", ring5.decrypt(fernetToken5));
    // Leave ring5's last-match hint where the benchmark's own token puts it.
    check("latchkey 5-key decrypt", ring5.decrypt(latchkeyToken5));
  }

  private void setUpTink() throws GeneralSecurityException {
    AeadConfig.register();
    // KeysetHandle.generateNew(Parameters) is deprecated in Tink 1.24; the builder is not.
    KeysetHandle handle =
        KeysetHandle.newBuilder()
            .addEntry(
                KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES128_GCM)
                    .withRandomId()
                    .makePrimary())
            .build();
    tinkAead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    tinkCiphertext = tinkAead.encrypt(payload, NO_ASSOCIATED_DATA);
    check("tink decrypt(encrypt(x))", tinkAead.decrypt(tinkCiphertext, NO_ASSOCIATED_DATA));

    // Five keys, the oldest primary: encrypt with it; then rotate so the newest is primary.
    KeysetHandle.Builder builder = KeysetHandle.newBuilder();
    for (int i = 0; i < 5; i++) {
      builder.addEntry(
          KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES128_GCM)
              .withRandomId());
    }
    builder.getAt(0).makePrimary();
    KeysetHandle oldest = builder.build();
    tinkCiphertext5 =
        oldest
            .getPrimitive(RegistryConfiguration.get(), Aead.class)
            .encrypt(payload, NO_ASSOCIATED_DATA);
    KeysetHandle.Builder rotated = KeysetHandle.newBuilder(oldest);
    rotated.getAt(4).makePrimary();
    KeysetHandle newest = rotated.build();
    int oldId = oldest.getPrimary().getId();
    if (newest.size() != 5 || newest.getPrimary().getId() == oldId) {
      throw new IllegalStateException("tink 5-key keyset is not rotated");
    }
    if (tinkCiphertext5[0] != 1 || ByteBuffer.wrap(tinkCiphertext5, 1, 4).getInt() != oldId) {
      throw new IllegalStateException("tink 5-key ciphertext is not under the oldest key");
    }
    tinkAead5 = newest.getPrimitive(RegistryConfiguration.get(), Aead.class);
    check("tink 5-key decrypt", tinkAead5.decrypt(tinkCiphertext5, NO_ASSOCIATED_DATA));
  }

  private void setUpJdk(SecureRandom keyRandom) throws GeneralSecurityException {
    byte[] macKey = new byte[16];
    byte[] aesKey = new byte[16];
    keyRandom.nextBytes(macKey);
    keyRandom.nextBytes(aesKey);
    jdkAesKey = new SecretKeySpec(aesKey, "AES");
    jdkMac = Mac.getInstance("HmacSHA256");
    jdkMac.init(new SecretKeySpec(macKey, "HmacSHA256"));
    jdkCipher = Cipher.getInstance("AES/CBC/NoPadding");

    // A real Fernet frame: version, timestamp, IV, PKCS#7-padded ciphertext, HMAC.
    jdkPadded = (size / 16 + 1) * 16;
    jdkRaw = new byte[FERNET_HEADER + jdkPadded + FERNET_HMAC];
    jdkRaw[0] = (byte) 0x80;
    byte[] iv = new byte[16];
    keyRandom.nextBytes(iv);
    System.arraycopy(iv, 0, jdkRaw, 9, 16);
    byte[] padded = Arrays.copyOf(payload, jdkPadded);
    Arrays.fill(padded, size, jdkPadded, (byte) (jdkPadded - size));
    Cipher encryptor = Cipher.getInstance("AES/CBC/NoPadding");
    encryptor.init(Cipher.ENCRYPT_MODE, jdkAesKey, new IvParameterSpec(jdkRaw, 9, 16));
    encryptor.doFinal(padded, 0, jdkPadded, jdkRaw, FERNET_HEADER);
    jdkMac.update(jdkRaw, 0, FERNET_HEADER + jdkPadded);
    jdkMac.doFinal(jdkRaw, FERNET_HEADER + jdkPadded);
    jdkTag = new byte[FERNET_HMAC];
    jdkEncryptor = Cipher.getInstance("AES/CBC/PKCS5Padding");
    jdkEncrypted = jdkRaw.clone();
    jdkOut = new byte[jdkPadded];

    jdk_hmacSha256();
    if (!Arrays.equals(jdkTag, 0, FERNET_HMAC, jdkRaw, FERNET_HEADER + jdkPadded, jdkRaw.length)) {
      throw new IllegalStateException("jdk HMAC does not verify its own frame");
    }
    jdk_aesCbcDecrypt();
    if (!Arrays.equals(jdkOut, padded)) {
      throw new IllegalStateException("jdk AES-CBC decrypt(encrypt(x)) != x");
    }
    if (!Arrays.equals(jdk_aesCbcPlusHmacEncrypt(), jdkRaw)) {
      throw new IllegalStateException("jdk AES-CBC + HMAC encrypt differs from the frame");
    }
  }

  private void check(String what, byte[] plaintext) {
    if (!Arrays.equals(plaintext, payload)) {
      throw new IllegalStateException(what + " != x for size " + size);
    }
  }

  // ---- Latchkey ----------------------------------------------------------------------------

  @Benchmark
  public String latchkey_encrypt() {
    return ring.encrypt(payload);
  }

  @Benchmark
  public byte[] latchkey_decrypt() {
    return ring.decrypt(latchkeyToken);
  }

  @Benchmark
  public byte[] latchkey_decrypt5Keys() {
    return ring5.decrypt(latchkeyToken5);
  }

  /**
   * The last-match hint's worst realistic case: tokens alternate between the 5th key and the
   * primary, so every 5th-key token costs five HMACs and every primary token two.
   */
  @Benchmark
  public byte[] latchkey_decrypt5KeysAlternating() {
    alternate = !alternate;
    return ring5Alternating.decrypt(alternate ? latchkeyToken5 : latchkeyToken);
  }

  // ---- fernet-java8 ------------------------------------------------------------------------

  @Benchmark
  public String fernetJava8_encrypt() {
    return Token.generate(fernetRandom, fernetKey, payload).serialise();
  }

  @Benchmark
  public byte[] fernetJava8_decrypt() {
    return Token.fromString(fernetToken).validateAndDecrypt(fernetKey, fernetValidator);
  }

  @Benchmark
  public byte[] fernetJava8_decrypt5Keys() {
    return Token.fromString(fernetToken5).validateAndDecrypt(fernetKeys5, fernetValidator);
  }

  @Benchmark
  public byte[] fernetJava8_decrypt5KeysSequential() {
    Token token = Token.fromString(fernetToken5);
    for (Key key : fernetKeys5) {
      if (token.isValidSignature(key)) {
        return token.validateAndDecrypt(key, fernetValidator);
      }
    }
    throw new TokenValidationException("Encryption key not found.");
  }

  // ---- Tink --------------------------------------------------------------------------------

  @Benchmark
  public byte[] tink_encrypt() throws GeneralSecurityException {
    return tinkAead.encrypt(payload, NO_ASSOCIATED_DATA);
  }

  @Benchmark
  public byte[] tink_decrypt() throws GeneralSecurityException {
    return tinkAead.decrypt(tinkCiphertext, NO_ASSOCIATED_DATA);
  }

  @Benchmark
  public byte[] tink_decrypt5Keys() throws GeneralSecurityException {
    return tinkAead5.decrypt(tinkCiphertext5, NO_ASSOCIATED_DATA);
  }

  // ---- JDK floor ---------------------------------------------------------------------------

  @Benchmark
  public byte[] jdk_hmacSha256() throws GeneralSecurityException {
    jdkMac.update(jdkRaw, 0, FERNET_HEADER + jdkPadded);
    jdkMac.doFinal(jdkTag, 0);
    return jdkTag;
  }

  @Benchmark
  public byte[] jdk_aesCbcDecrypt() throws GeneralSecurityException {
    jdkCipher.init(Cipher.DECRYPT_MODE, jdkAesKey, new IvParameterSpec(jdkRaw, 9, 16));
    jdkCipher.doFinal(jdkRaw, FERNET_HEADER, jdkPadded, jdkOut, 0);
    return jdkOut;
  }

  @Benchmark
  public byte[] jdk_hmacPlusAesCbcDecrypt(Blackhole bh) throws GeneralSecurityException {
    bh.consume(jdk_hmacSha256());
    return jdk_aesCbcDecrypt();
  }

  /** The floor under a Fernet encrypt: AES-CBC over the padded payload, then the HMAC. */
  @Benchmark
  public byte[] jdk_aesCbcPlusHmacEncrypt() throws GeneralSecurityException {
    jdkEncryptor.init(Cipher.ENCRYPT_MODE, jdkAesKey, new IvParameterSpec(jdkRaw, 9, 16));
    jdkEncryptor.doFinal(payload, 0, size, jdkEncrypted, FERNET_HEADER);
    jdkMac.update(jdkEncrypted, 0, FERNET_HEADER + jdkPadded);
    jdkMac.doFinal(jdkEncrypted, FERNET_HEADER + jdkPadded);
    return jdkEncrypted;
  }
}
