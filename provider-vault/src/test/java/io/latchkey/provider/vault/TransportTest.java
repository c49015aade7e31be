package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.provider.vault.testing.FakeVault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the HTTP transport does beside the status codes: where it connects, what it skips. */
final class TransportTest {

  @Test
  void theJvmsProxySettings_areNeverConsulted_theTokenGoesOnlyToTheAddress() {
    AtomicInteger asked = new AtomicInteger();
    ProxySelector original = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            asked.incrementAndGet();
            return List.of(Proxy.NO_PROXY);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    try (FakeVault vault = FakeVault.start()) {
      vault.putKv2("secret", "app", Map.of("k", "v"));
      try (VaultSecretProvider provider = provider(vault)) {
        assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      }
    } finally {
      ProxySelector.setDefault(original);
    }
    assertThat(asked).hasValue(0);
  }

  @Test
  void aBodyShorterThanItsContentLength_isNeverTakenForAWholeOne() throws IOException {
    ByteArrayInputStream cut = new ByteArrayInputStream(new byte[10]);
    assertThatThrownBy(() -> CappedBody.read(cut, 20, 1024))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(CappedBody.TooLarge.class)
        .hasMessage("the answer ended after 10 of its 20 bytes");
    assertThat(CappedBody.read(new ByteArrayInputStream(new byte[20]), 20, 1024)).hasSize(20);
    assertThat(CappedBody.read(new ByteArrayInputStream(new byte[20]), -1, 1024)).hasSize(20);
    assertThat(CappedBody.read(null, 0, 1024)).isEmpty();
  }
}
