package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GcpSecretProvider#fetchAll}: every call in flight at once from the calling thread, one
 * call per secret version, and a reference that fails left out for a fetch of its own to report.
 */
final class FetchAllTest {
  private static final int SECRETS = 20;

  private FakeSecretManager gcp;
  private GcpSecretProvider provider;

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
    for (int i = 0; i < SECRETS; i++) {
      gcp.addVersion("s" + i, utf8("{\"value\":\"v" + i + "\",\"user\":\"u" + i + "\"}"));
    }
    provider = GcpSecretProvider.fromEnvironment(gcp.environment());
  }

  @AfterEach
  void stop() {
    gcp.gatherAnswers(0);
    provider.close();
    gcp.close();
  }

  private static List<SecretRef> refs(String form) {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < SECRETS; i++) {
      refs.add(SecretRef.parse(String.format(form, i)));
    }
    return refs;
  }

  @Test
  void everyCall_isInFlightAtOnce_fromTheCallingThread() {
    // No answer leaves the fake until all twenty calls wait for one: the batch coming back at
    // all proves they were in flight together, sent from this one thread.
    gcp.gatherAnswers(SECRETS);
    List<SecretRef> refs = refs("gcp:s%d#value");
    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(refs);
    for (int i = 0; i < SECRETS; i++) {
      SecretVersion version = fetched.get(refs.get(i));
      assertThat(version.value().reveal()).isEqualTo("v" + i);
      assertThat(version.versionId()).contains("1");
      assertThat(version.stages()).containsExactly("latest");
    }
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(SECRETS);
  }

  @Test
  void fieldsOfOneVersion_shareOneCall_andTheWholeValueIsServedToo() {
    SecretRef value = SecretRef.parse("gcp:s1#value");
    SecretRef user = SecretRef.parse("gcp:s1#user");
    SecretRef whole = SecretRef.parse("gcp:s1");
    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(List.of(value, user, whole));
    assertThat(fetched.get(value).value().reveal()).isEqualTo("v1");
    assertThat(fetched.get(user).value().reveal()).isEqualTo("u1");
    assertThat(fetched.get(whole).value().reveal()).isEqualTo("{\"value\":\"v1\",\"user\":\"u1\"}");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
  }

  @Test
  void failingReferences_areLeftOut_forAFetchOfTheirOwnToReport() {
    gcp.failSecret("s3", Failure.PERMISSION_DENIED);
    gcp.addVersion("plain", utf8("not json"));
    SecretRef good = SecretRef.parse("gcp:s1#value");
    SecretRef missing = SecretRef.parse("gcp:nope");
    SecretRef noField = SecretRef.parse("gcp:s2#nope");
    SecretRef denied = SecretRef.parse("gcp:s3#value");
    SecretRef notJson = SecretRef.parse("gcp:plain#k");
    SecretRef invalid = SecretRef.parse("gcp:projects/p/oops/s1");
    Map<SecretRef, SecretVersion> fetched =
        provider.fetchAll(List.of(good, missing, noField, denied, notJson, invalid));
    assertThat(fetched).containsOnlyKeys(good);
    assertThatThrownBy(() -> provider.fetch(missing)).isInstanceOf(SecretNotFoundException.class);
  }

  @Test
  void closed_refusesTheBatch() {
    provider.close();
    assertThatThrownBy(() -> provider.fetchAll(List.of(SecretRef.parse("gcp:s1"))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void resolverPrefetch_usesTheBatch_andReportsEachFailureByItsReference() {
    gcp.failSecret("s5", Failure.PERMISSION_DENIED);
    List<SecretRef> refs = refs("gcp:s%d#value");
    refs.add(SecretRef.parse("gcp:nope#value"));
    try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
      assertThatThrownBy(() -> resolver.prefetch(refs))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigException.Problem::setting)
                      .containsExactlyInAnyOrder("gcp:s5#value", "gcp:nope#value"));
      long calls = gcp.requests("AccessSecretVersion");
      assertThat(resolver.resolve(refs.get(7)).reveal()).isEqualTo("v7");
      assertThat(gcp.requests("AccessSecretVersion")).as("from the batch's cache").isEqualTo(calls);
    }
  }
}
