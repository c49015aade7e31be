package io.latchkey.provider.vault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What the shared scenarios need from a Vault: its address and root token, and ways to seed
 * secrets, policies, tokens and AppRoles. The loopback server implements it through its Java API, a
 * real Vault through its HTTP API.
 */
interface VaultBackend {

  /** An AppRole's credentials. */
  record AppRole(String roleId, String secretId) {
    @Override
    public String toString() {
      return "AppRole[***]";
    }
  }

  URI address();

  String rootToken();

  /** VAULT_ADDR and VAULT_TOKEN (the root token), plus VAULT_CACERT over TLS; modifiable. */
  Map<String, String> environment();

  int putKv2(String mount, String path, Map<String, String> data);

  int putKv2Json(String mount, String path, String json);

  void putKv1(String mount, String path, Map<String, String> data);

  void enableKv1(String mount);

  void deleteKv2Versions(String mount, String path, int... versions);

  void destroyKv2Versions(String mount, String path, int... versions);

  /** An ACL policy granting read on API paths (a trailing {@code *} matches any suffix). */
  void policy(String name, String... readablePaths);

  String createToken(Duration ttl, Duration maxTtl, boolean renewable, String... policies);

  AppRole appRole(String role, Duration ttl, Duration maxTtl, String... policies);
}
