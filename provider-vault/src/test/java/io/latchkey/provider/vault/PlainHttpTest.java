package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client for a plain-HTTP address is given a TLS context that refuses every use (so building it
 * sets up no TLS, and it can never open a TLS connection); a client for an HTTPS address gets a
 * real one.
 */
final class PlainHttpTest {
  @Test
  void aPlainHttpAddress_getsAClientThatMakesNoTlsConnection() {
    try (VaultClientFactory factory =
        new VaultClientFactory(URI.create("http://127.0.0.1:8200"), Duration.ofSeconds(1), null)) {
      assertThat(factory.client().sslContext()).isSameAs(PlainHttp.NO_TLS);
      assertThatThrownBy(() -> factory.client().sslContext().createSSLEngine())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the Vault address is plain http: this client makes no TLS connection");
      assertThatThrownBy(() -> factory.client().sslContext().getSocketFactory())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void anHttpsAddress_getsARealTlsContext() throws Exception {
    try (VaultClientFactory factory =
        new VaultClientFactory(
            URI.create("https://vault.example.com:8200"), Duration.ofSeconds(1), null)) {
      assertThat(factory.client().sslContext()).isNotSameAs(PlainHttp.NO_TLS);
      assertThat(factory.client().sslContext().createSSLEngine()).isNotNull();
    }
  }
}
