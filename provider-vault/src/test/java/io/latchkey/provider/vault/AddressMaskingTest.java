package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Vault's address is shown masked, as every URL Latchkey prints (docs/security.md). */
final class AddressMaskingTest {
  private static final String SESSION = "0123456789abcdefXYZsession";

  @Test
  void address_credentialInItsPath_maskedInDescriptionToStringAndErrors() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // The builder refuses user info and a query; a proxy's path may still carry a session.
    String shown = "http://127.0.0.1:" + port + "/proxy;jsessionid=***";
    try (VaultSecretProvider p =
        VaultSecretProvider.builder()
            .address(URI.create("http://127.0.0.1:" + port + "/proxy;jsessionid=" + SESSION))
            .token(Secret.of("hvs.x"))
            .timeout(Duration.ofSeconds(2))
            .build()) {
      assertThat(p.description()).startsWith("HashiCorp Vault at " + shown + ",");
      ProviderException e = failure(() -> p.fetch(ref("vault:secret/data/app#k")));
      assertThat(e.reason()).isEqualTo("cannot connect to Vault at " + shown);
      Leaks.assertNoLeak("description", p.description(), SESSION);
      Leaks.assertNoLeak("toString()", p.toString(), SESSION);
      Leaks.assertNoLeak(e, SESSION);
    }
  }
}
