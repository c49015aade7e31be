package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.provider.vault.Testing.thrown;
import static io.latchkey.testsupport.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VaultSecretProvider#fetchAll}: every read in flight at once from the calling thread, each
 * secret read once, and a reference that fails left out for a fetch of its own to report.
 */
final class FetchAllTest {
  private static final int SECRETS = 20;

  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    for (int i = 0; i < SECRETS; i++) {
      vault.putKv2("secret", "s" + i, Map.of("value", "v" + i, "user", "u" + i));
    }
  }

  @AfterEach
  void stop() {
    vault.release();
    vault.close();
  }

  private static List<SecretRef> refs(String form) {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < SECRETS; i++) {
      refs.add(ref(String.format(form, i)));
    }
    return refs;
  }

  @Test
  void everyRead_isInFlightAtOnce_fromOneThread_inOneRoundTrip() throws Exception {
    try (VaultSecretProvider provider = provider(vault)) {
      List<SecretRef> refs = refs("vault:secret/data/s%d#value");
      vault.hold("/v1/secret/data/");
      CompletableFuture<Map<SecretRef, SecretVersion>> batch =
          CompletableFuture.supplyAsync(() -> provider.fetchAll(refs));
      until("every read to be held at once", () -> vault.held() == SECRETS);
      vault.release();
      Map<SecretRef, SecretVersion> fetched = batch.get(30, TimeUnit.SECONDS);
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(1);
      for (int i = 0; i < SECRETS; i++) {
        SecretVersion version = fetched.get(refs.get(i));
        assertThat(version.value().reveal()).isEqualTo("v" + i);
        assertThat(version.versionId()).contains("1");
      }
      assertThat(vault.requests("/v1/secret/data/")).as("each read once").isEqualTo(SECRETS);
      // The renewer's lookup-self may still be on its way; an exchange the batch left behind
      // would never leave the set.
      until("no exchange in flight", () -> provider.http().inFlight() == 0);
    }
  }

  @Test
  void fieldsOfOneSecret_shareOneRead_andTheShortFormIsReadOnceItsMountIsKnown() {
    try (VaultSecretProvider provider = provider(vault)) {
      SecretRef value = ref("vault:secret/data/s1#value");
      SecretRef user = ref("vault:secret/data/s1#user");
      SecretRef shortForm = ref("vault:secret/s2#user");
      Map<SecretRef, SecretVersion> fetched = provider.fetchAll(List.of(value, user, shortForm));
      assertThat(fetched.get(value).value().reveal()).isEqualTo("v1");
      assertThat(fetched.get(user).value().reveal()).isEqualTo("u1");
      assertThat(fetched.get(shortForm).value().reveal()).isEqualTo("u2");
      assertThat(vault.requests("/v1/secret/data/s1")).isEqualTo(1);
      assertThat(vault.requests("/v1/secret/data/s2")).isEqualTo(1);
    }
  }

  @Test
  void failingReferences_areLeftOut_forAFetchOfTheirOwnToReport() {
    vault.putKv1("kv", "old", Map.of("k", "v"));
    vault.enableEngine("pki", "pki");
    vault.failWith("/v1/secret/data/s3", 403, "{\"errors\":[\"permission denied\"]}", 1);
    try (VaultSecretProvider provider = provider(vault)) {
      SecretRef good = ref("vault:secret/data/s1#value");
      SecretRef missing = ref("vault:secret/data/nope#value");
      SecretRef noField = ref("vault:secret/data/s2#nope");
      SecretRef denied = ref("vault:secret/data/s3#value");
      SecretRef versionOnV1 = ref("vault:kv/old@2#k");
      SecretRef otherEngine = ref("vault:pki/issue/x");
      SecretRef badVersion = ref("vault:secret/data/s4@zero#value");
      Map<SecretRef, SecretVersion> fetched =
          provider.fetchAll(
              List.of(good, missing, noField, denied, versionOnV1, otherEngine, badVersion));
      assertThat(fetched).containsOnlyKeys(good);
      assertThat(provider.fetch(denied).value().reveal())
          .as("alone, the read is sent again")
          .isEqualTo("v3");
      assertThat(thrown(() -> provider.fetch(missing)).getMessage()).contains("no such secret");
    }
  }

  @Test
  void aMountLookUpFailing_failsTheBatch_andLeavesNothingInFlight() {
    vault.fail(Failure.SEALED, "/v1/sys/internal/ui/mounts/", 1);
    try (VaultSecretProvider provider = provider(vault)) {
      assertThatThrownBy(() -> provider.fetchAll(refs("vault:secret/data/s%d#value")))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
      // The renewer's lookup-self may still be on its way; an exchange the batch left behind
      // would never leave the set.
      until("no exchange in flight", () -> provider.http().inFlight() == 0);
    }
  }

  @Test
  void closed_refusesTheBatch() {
    VaultSecretProvider provider = provider(vault);
    provider.close();
    assertThatThrownBy(() -> provider.fetchAll(List.of(ref("vault:secret/data/s1#value"))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void resolverPrefetch_usesTheBatch_andReportsEachFailureByItsReference() {
    vault.fail(Failure.PERMISSION_DENIED, "/v1/secret/data/s5", 10);
    List<SecretRef> refs = refs("vault:secret/data/s%d#value");
    refs.add(ref("vault:secret/data/nope#value"));
    try (SecretResolver resolver =
        SecretResolver.builder().discoverProviders(vault.environment()).build()) {
      assertThatThrownBy(() -> resolver.prefetch(refs))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigException.Problem::setting)
                      .containsExactlyInAnyOrder(
                          "vault:secret/data/s5#value", "vault:secret/data/nope#value"));
      assertThat(resolver.resolve(refs.get(7)).reveal()).isEqualTo("v7");
      assertThat(vault.requests("/v1/secret/data/s7")).as("from the batch's cache").isEqualTo(1);
    }
  }
}
