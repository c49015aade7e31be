package io.latchkey.provider.vault;

import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.vault.VaultContainer;

/**
 * The shared scenarios against a real Vault ({@code hashicorp/vault:1.18} in dev mode, with a known
 * root token), wherever a Docker engine runs; skipped where none does. Secrets, policies, tokens
 * and the AppRole are seeded through Vault's HTTP API.
 */
@Testcontainers(disabledWithoutDocker = true)
final class VaultContainerTest extends AbstractVaultScenarios {
  private static final String ROOT_TOKEN = "latchkey-root-token";

  @Container
  private static final VaultContainer<?> VAULT =
      new VaultContainer<>(DockerImageName.parse("hashicorp/vault:1.18"))
          .withVaultToken(ROOT_TOKEN);

  @Override
  VaultBackend backend() {
    return new HttpBackend(URI.create(VAULT.getHttpHostAddress()), ROOT_TOKEN);
  }
}
