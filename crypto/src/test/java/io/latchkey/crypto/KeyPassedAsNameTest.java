package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.apikey.ApiKeyVerifier;
import io.latchkey.crypto.signing.SigningKeyRing;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The loaders refuse to show a key passed where a variable's name belongs ({@code
 * FernetKeyRing.fromEnvironment(System.getenv("APP_KEY"))} reports "the setting name given ... not
 * shown, in case it is a key"), and so do the loaders that follow a source, before anything is
 * resolved: the env provider's failure names the reference. The parsers, whose two arguments are
 * both strings, report a {@code source} that looks like a key under the generic name, so that with
 * the arguments swapped the key is not the first thing in the message.
 */
final class KeyPassedAsNameTest {
  /**
   * The {@code env} scheme as EnvSecretProvider answers it: a reference that cannot map to an
   * environment name (a padded base64 key holds '=') fails with ProviderException of kind OTHER and
   * a fixed reason ("reference cannot map to an environment name: ..."), which by itself quotes
   * nothing; the exception's message names the reference, as every ProviderException does.
   */
  private static final class EnvLikeProvider implements SecretProvider {
    @Override
    public String name() {
      return "env";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      for (char c : ref.path().toCharArray()) {
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/')) {
          throw new ProviderException(
              ref,
              ProviderException.Kind.OTHER,
              "reference cannot map to an environment name: it holds a character that is not"
                  + " allowed (use letters, digits, '_', '.', '-' and '/')");
        }
      }
      throw new SecretNotFoundException(ref, "not set");
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "env-like";
    }
  }

  private final SecretResolver resolver =
      SecretResolver.builder().provider(new EnvLikeProvider()).executor(Runnable::run).build();

  @AfterEach
  void close() {
    resolver.close();
  }

  private static String messages(Executable call) {
    Throwable t = catchThrowable(call::execute);
    assertThat(t).as("the call fails").isNotNull();
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  @Test
  void apiKeyVerifierFollowing_keyPassedAsName_isNotShown() {
    String key = FernetKey.generate().encoded().reveal();
    assertThat(messages(() -> ApiKeyVerifier.following(resolver, key))).doesNotContain(key);
  }

  @Test
  void fernetKeyRingFollowing_keyPassedAsName_doesNotPrintTheKey() {
    // FernetKeyRing.following(resolver, System.getenv("APP_ENCRYPTION_KEY")): a slip in the
    // argument, the name's value instead of the name.
    String key = FernetKey.generate().encoded().reveal();
    assertThat(messages(() -> FernetKeyRing.following(resolver, key))).doesNotContain(key);
  }

  @Test
  void aesGcmKeyRingFollowing_keyPassedAsName_doesNotPrintTheKey() {
    String key = AesGcmKey.generate().encoded().reveal();
    assertThat(messages(() -> AesGcmKeyRing.following(resolver, key))).doesNotContain(key);
  }

  @Test
  void signingKeyRingFollowing_keyPassedAsName_doesNotPrintTheKey() {
    // openssl rand -base64 32, the key the docs suggest: 44 characters ending in '='
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    String key = java.util.Base64.getEncoder().encodeToString(bytes);
    assertThat(messages(() -> SigningKeyRing.following(resolver, key))).doesNotContain(key);
  }

  @Test
  void fromEnvironment_keyPassedAsName_isNotShown() {
    String key = FernetKey.generate().encoded().reveal();
    Throwable t = catchThrowable(() -> FernetKeyRing.fromEnvironment(key, Map.of()));
    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(t.getMessage()).doesNotContain(key);
  }

  @Test
  void fernetKeyParse_argumentsSwapped_doesNotPrintTheKey() {
    String key = FernetKey.generate().encoded().reveal();

    // parse(CharSequence key, String source), called as parse(name, value)
    Throwable t = catchThrowable(() -> FernetKey.parse("APP_ENCRYPTION_KEY", key));

    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(t.getMessage()).doesNotContain(key);
  }

  @Test
  void aesGcmKeyParse_argumentsSwapped_doesNotPrintTheKey() {
    String key = AesGcmKey.generate().encoded().reveal();

    Throwable t = catchThrowable(() -> AesGcmKey.parse("APP_DATA_KEY", key));

    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(t.getMessage()).doesNotContain(key);
  }
}
