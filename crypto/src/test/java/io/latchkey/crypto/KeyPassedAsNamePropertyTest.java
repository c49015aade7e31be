package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.crypto.apikey.ApiKeyVerifier;
import io.latchkey.crypto.signing.SigningKeyRing;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Feeds seeded random keys of every shape this module and its users handle (Fernet, AES-GCM,
 * signing, API keys, hex, base64 with and without padding, base64url) into every entry point that
 * takes the name of a variable, a setting, a key file or a key's source, as a caller who passes
 * {@code System.getenv("APP_KEY")} instead of {@code "APP_KEY"} (or swaps a parser's two arguments)
 * would, and checks that every call fails without the key in any message, cause, suppressed
 * exception or {@code toString()}, whole or as any run of {@value Leaks#FRAGMENT} of its
 * characters. The loaders that follow a source through a resolver must refuse before anything is
 * resolved: the provider's own failure names the reference.
 *
 * <p>A failure names the seed, the case and the entry point; rerun with {@code
 * -Dlatchkey.keyname.seed=N} to reproduce it.
 */
final class KeyPassedAsNamePropertyTest {
  private static final long SEED = Long.getLong("latchkey.keyname.seed", 0x5e771e6a3bL);
  private static final int CASES = 100;

  /** Answers every reference with a failure that names it, as the providers' failures do. */
  private static final class NamingProvider implements SecretProvider {
    final AtomicInteger fetches = new AtomicInteger();

    @Override
    public String name() {
      return "env";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      fetches.incrementAndGet();
      throw new ProviderException(ref, ProviderException.Kind.OTHER, "refused by the test");
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "naming";
    }
  }

  private record EntryPoint(String name, Consumer<String> call) {}

  private final NamingProvider provider = new NamingProvider();
  private final SecretResolver resolver =
      SecretResolver.builder().provider(provider).executor(Runnable::run).build();

  @AfterEach
  void close() {
    resolver.close();
  }

  /** One key of each shape, from the seeded source. */
  private static List<String> keys(SplittableRandom random) {
    byte[] raw32 = bytes(random, 32);
    byte[] raw16 = bytes(random, 16);
    Base64.Encoder url = Base64.getUrlEncoder();
    return List.of(
        url.encodeToString(raw32), // Fernet, as 'latchkey keygen' prints it
        AesGcmKey.PREFIX + url.encodeToString(bytes(random, 32)), // AES-GCM
        url.withoutPadding().encodeToString(bytes(random, 32)), // signing, as generateKey()
        "acme_" + url.withoutPadding().encodeToString(bytes(random, 32)), // an API key
        HexFormat.of().formatHex(raw16), // openssl rand -hex 16
        HexFormat.of().withUpperCase().formatHex(bytes(random, 32)), // hex, upper case
        Base64.getEncoder().encodeToString(bytes(random, 32)), // openssl rand -base64 32
        Base64.getEncoder().withoutPadding().encodeToString(bytes(random, 33)),
        Base64.getEncoder().encodeToString(bytes(random, 48)));
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private List<EntryPoint> entryPoints() {
    Clock clock = Clock.systemUTC();
    KeyList badCurrent = KeyList.of(Secret.of("not a key"), List.of());
    KeyList badPrevious =
        KeyList.of(
            Secret.of(FernetKey.generate().encoded().reveal()), List.of(Secret.of("not a key")));
    KeyList badAesPrevious =
        KeyList.of(
            Secret.of(AesGcmKey.generate().encoded().reveal()), List.of(Secret.of("not a key")));
    List<EntryPoint> e = new ArrayList<>();
    e.add(new EntryPoint("FernetKeyRing.fromEnvironment", FernetKeyRing::fromEnvironment));
    e.add(
        new EntryPoint(
            "FernetKeyRing.fromEnvironment(map)", k -> FernetKeyRing.fromEnvironment(k, Map.of())));
    e.add(new EntryPoint("FernetKeyRing.following", k -> FernetKeyRing.following(resolver, k)));
    e.add(new EntryPoint("FernetKeyRing.of", k -> FernetKeyRing.of(k, badCurrent)));
    e.add(new EntryPoint("FernetKeyRing.of previous", k -> FernetKeyRing.of(k, badPrevious)));
    e.add(new EntryPoint("FernetKeyRing.read", k -> FernetKeyRing.read(Path.of(k))));
    e.add(new EntryPoint("FernetKey.parse swapped", k -> FernetKey.parse("APP_KEY", k)));
    e.add(new EntryPoint("FernetKey.parse bad", k -> FernetKey.parse("", k)));
    e.add(new EntryPoint("AesGcmKeyRing.fromEnvironment", AesGcmKeyRing::fromEnvironment));
    e.add(
        new EntryPoint(
            "AesGcmKeyRing.fromEnvironment(map)", k -> AesGcmKeyRing.fromEnvironment(k, Map.of())));
    e.add(new EntryPoint("AesGcmKeyRing.following", k -> AesGcmKeyRing.following(resolver, k)));
    e.add(new EntryPoint("AesGcmKeyRing.of", k -> AesGcmKeyRing.of(k, badCurrent)));
    e.add(new EntryPoint("AesGcmKeyRing.of previous", k -> AesGcmKeyRing.of(k, badAesPrevious)));
    e.add(new EntryPoint("AesGcmKeyRing.read", k -> AesGcmKeyRing.read(Path.of(k))));
    e.add(new EntryPoint("AesGcmKey.parse swapped", k -> AesGcmKey.parse("APP_DATA_KEY", k)));
    e.add(new EntryPoint("AesGcmKey.parse bad", k -> AesGcmKey.parse("lkk.", k)));
    e.add(new EntryPoint("SigningKeyRing.fromEnvironment", SigningKeyRing::fromEnvironment));
    e.add(
        new EntryPoint(
            "SigningKeyRing.fromEnvironment(map)",
            k -> SigningKeyRing.fromEnvironment(k, Map.of())));
    e.add(new EntryPoint("SigningKeyRing.following", k -> SigningKeyRing.following(resolver, k)));
    e.add(new EntryPoint("ApiKeyVerifier.fromEnvironment", ApiKeyVerifier::fromEnvironment));
    e.add(
        new EntryPoint(
            "ApiKeyVerifier.fromEnvironment(map, clock)",
            k -> ApiKeyVerifier.fromEnvironment(k, Map.of(), clock)));
    e.add(new EntryPoint("ApiKeyVerifier.following", k -> ApiKeyVerifier.following(resolver, k)));
    e.add(new EntryPoint("ApiKeyVerifier.generate", ApiKeyVerifier::generate));
    e.add(new EntryPoint("TokenFormat.of", TokenFormat::of));
    return e;
  }

  @Test
  void keyPassedAsAName_everyEntryPoint_failsWithoutShowingIt() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<EntryPoint> entryPoints = entryPoints();
    int calls = 0;
    for (int c = 0; c < CASES; c++) {
      List<String> keys = keys(random);
      for (int k = 0; k < keys.size(); k++) {
        String key = keys.get(k);
        for (EntryPoint entryPoint : entryPoints) {
          String where =
              "seed " + SEED + ", case " + c + ", key shape " + k + ", " + entryPoint.name();
          Throwable thrown = catchThrowable(() -> entryPoint.call().accept(key));
          assertThat(thrown).as(where + ": the call fails").isNotNull();
          try {
            Leaks.assertNoLeak(thrown, key);
          } catch (AssertionError e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
          }
          calls++;
        }
      }
    }
    assertThat(calls).isEqualTo(CASES * 9 * entryPoints.size());
    assertThat(provider.fetches).as("nothing is resolved under a key's name").hasValue(0);
  }

  @Test
  void followed_keyAsName_isRefusedAsAConfigExceptionBeforeAnyFetch() {
    String key = FernetKey.generate().encoded().reveal();

    Throwable thrown = catchThrowable(() -> FernetKeyRing.following(resolver, key));

    assertThat(thrown)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: the setting name given: looks like a key")
        .hasNoCause();
    assertThat(provider.fetches).hasValue(0);
  }

  @Test
  void parse_sourceThatIsAName_isShown() {
    Throwable thrown = catchThrowable(() -> FernetKey.parse("not a key", "APP_ENCRYPTION_KEY"));

    assertThat(thrown)
        .hasMessageStartingWith("invalid configuration: APP_ENCRYPTION_KEY: is not 44 characters");
  }

  @Test
  void of_keyAsSettingName_reportsUnderTheGenericName() {
    String key = FernetKey.generate().encoded().reveal();
    KeyList keys =
        KeyList.of(
            Secret.of(FernetKey.generate().encoded().reveal()), List.of(Secret.of("not a key")));

    Throwable thrown = catchThrowable(() -> FernetKeyRing.of(key, keys));

    assertThat(thrown)
        .hasMessageStartingWith(
            "invalid configuration: the setting name given, previous key entry 1: is not 44");
  }
}
