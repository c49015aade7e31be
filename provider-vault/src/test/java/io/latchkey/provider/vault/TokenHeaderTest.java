package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.testsupport.Leaks.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.provider.vault.testing.FakeVault;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A token that an HTTP header cannot carry (a line break would end the header and start another of
 * the token's choosing) is refused before anything is sent, with a reason that names the header and
 * never the token.
 */
final class TokenHeaderTest {
  private static final String CANARY = "c4n4ry-tok3n";

  @ParameterizedTest
  @ValueSource(strings = {"\r\nX-Injected: evil", "\nmore", "\u0000", "\u00e9"})
  void tokenWithACharacterNoHeaderCarries_isRefused_andNothingIsSent(String tail) {
    try (FakeVault vault = FakeVault.start();
        VaultSecretProvider provider =
            VaultSecretProvider.builder()
                .address(vault.address())
                .token(Secret.of(CANARY + tail))
                .build()) {
      vault.putKv2("secret", "app", Map.of("k", "v"));
      ProviderException e = failure(() -> provider.fetch(ref("vault:secret/data/app#k")));
      assertThat(e.kind()).isEqualTo(Kind.OTHER);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.reason())
          .isEqualTo(
              "the X-Vault-Token header's value holds a character an HTTP header cannot carry (a"
                  + " line break or another control character, or one outside ASCII)");
      assertThat(texts(e))
          .noneMatch(t -> t.contains(CANARY) || t.contains("Injected") || t.contains("evil"));
      assertThat(vault.requests("/")).isZero();
    }
  }
}
