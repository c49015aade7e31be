package io.latchkey.provider.vault;

import io.latchkey.provider.vault.testing.FakeVault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The scenarios' backend on the loopback server, seeded through its Java API. */
final class FakeBackend implements VaultBackend {
  private final FakeVault vault;

  FakeBackend(FakeVault vault) {
    this.vault = vault;
  }

  @Override
  public URI address() {
    return vault.address();
  }

  @Override
  public String rootToken() {
    return vault.rootToken();
  }

  @Override
  public Map<String, String> environment() {
    return vault.environment();
  }

  @Override
  public int putKv2(String mount, String path, Map<String, String> data) {
    return vault.putKv2(mount, path, data);
  }

  @Override
  public int putKv2Json(String mount, String path, String json) {
    return vault.putKv2Json(mount, path, json);
  }

  @Override
  public void putKv1(String mount, String path, Map<String, String> data) {
    vault.putKv1(mount, path, data);
  }

  @Override
  public void enableKv1(String mount) {
    vault.enableKv1(mount);
  }

  @Override
  public void deleteKv2Versions(String mount, String path, int... versions) {
    vault.deleteKv2Versions(mount, path, versions);
  }

  @Override
  public void destroyKv2Versions(String mount, String path, int... versions) {
    vault.destroyKv2Versions(mount, path, versions);
  }

  @Override
  public void policy(String name, String... readablePaths) {
    vault.policy(name, readablePaths);
  }

  @Override
  public String createToken(Duration ttl, Duration maxTtl, boolean renewable, String... policies) {
    return vault.createToken(ttl, maxTtl, renewable, policies);
  }

  @Override
  public AppRole appRole(String role, Duration ttl, Duration maxTtl, String... policies) {
    FakeVault.AppRoleCredentials c = vault.appRole(role, ttl, maxTtl, true, policies);
    return new AppRole(c.roleId(), c.secretId());
  }
}
