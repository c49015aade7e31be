package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.testsupport.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mount look-up per mount and one login per denial, however many callers arrive at once: the
 * fake holds the first request until every caller has asked, so that all of them meet it.
 */
final class SingleFlightTest {
  private static final int THREADS = 100;

  private FakeVault vault;
  private ExecutorService pool;
  private final AtomicInteger readers = new AtomicInteger();

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "reader-" + readers.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @AfterEach
  void stop() throws InterruptedException {
    vault.release();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    vault.close();
  }

  /** Starts each read on its own thread, all at once; returns the threads' futures. */
  private List<Future<String>> readAll(VaultSecretProvider provider, List<SecretRef> refs) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> reads = new ArrayList<>();
    for (SecretRef ref : refs) {
      reads.add(
          pool.submit(
              () -> {
                go.await();
                return provider.fetch(ref).value().reveal();
              }));
    }
    go.countDown();
    return reads;
  }

  private static List<SecretRef> refs(String form, int n) {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      refs.add(ref(String.format(form, i)));
    }
    return refs;
  }

  @Test
  void hundredThreads_hundredColdRefsInOneMount_makeExactlyOneMountLookUp() throws Exception {
    for (int i = 0; i < THREADS; i++) {
      vault.putKv2("secret", "app-" + i, Map.of("k", "v" + i));
    }
    // Held requests must not time out however slow the machine: the hold ends them.
    try (VaultSecretProvider provider = provider(vault, Map.of("LATCHKEY_VAULT_TIMEOUT", "600s"))) {
      vault.hold("/v1/sys/internal/ui/mounts/");
      List<Future<String>> reads = readAll(provider, refs("vault:secret/app-%d#k", THREADS));
      until("the first look-up to be held", () -> vault.held() == 1);
      until(
          "every other reader to wait",
          () -> reads.stream().filter(Future::isDone).count() == 0 && waiting() >= THREADS - 1);
      assertThat(vault.held()).as("look-ups held").isEqualTo(1);
      vault.release();
      for (int i = 0; i < THREADS; i++) {
        assertThat(reads.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("v" + i);
      }
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(1);
      assertThat(vault.requests("/v1/secret/data/")).isEqualTo(THREADS);
      // The renewer thread learns the token's lease beside the reads.
      until("the token look-up", () -> vault.requests("/v1/auth/token/lookup-self") >= 1);
      assertThat(vault.requests("/v1/auth/token/lookup-self")).as("token look-ups").isEqualTo(1);
    }
  }

  /** Reader threads parked on a lock or a future: waiting for another caller's request. */
  private static long waiting() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("reader-"))
        .filter(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.BLOCKED)
        .count();
  }

  @Test
  void sharedLookUp_failing_failsEveryWaiter_forItsOwnReference_andIsNotCached() throws Exception {
    for (int i = 0; i < 10; i++) {
      vault.putKv2("secret", "app-" + i, Map.of("k", "v" + i));
    }
    try (VaultSecretProvider provider = provider(vault)) {
      vault.fail(FakeVault.Failure.SEALED, "/v1/sys/internal/ui/mounts/", 1);
      List<SecretRef> refs = refs("vault:secret/app-%d#k", 10);
      List<Future<String>> reads = readAll(provider, refs);
      int failed = 0;
      for (int i = 0; i < refs.size(); i++) {
        try {
          assertThat(reads.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("v" + i);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ProviderException.class);
          ProviderException p = (ProviderException) e.getCause();
          assertThat(p.kind()).isEqualTo(Kind.UNAVAILABLE);
          assertThat(p.ref()).as("named for its own reference").isEqualTo(refs.get(i));
          failed++;
        }
      }
      assertThat(failed).isPositive();
      assertThat(provider.fetch(refs.get(0)).value().reveal()).isEqualTo("v0");
    }
  }

  @Test
  void coldPrefetch_twoHundredRefsInOneMount_makesOneMountLookUp() {
    for (int i = 0; i < 200; i++) {
      vault.putKv2("secret", "cfg-" + i, Map.of("k", "v" + i));
    }
    List<SecretRef> refs = refs("vault:secret/cfg-%d#k", 200);
    try (VaultSecretProvider provider = provider(vault);
        SecretResolver resolver =
            SecretResolver.builder().provider(provider).clock(new MutableClock()).build()) {
      resolver.prefetch(refs);
      for (int i = 0; i < 200; i++) {
        assertThat(resolver.resolve(refs.get(i)).reveal()).isEqualTo("v" + i);
      }
    }
    assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(1);
    assertThat(vault.requests("/v1/secret/data/")).isEqualTo(200);
  }

  @Test
  void concurrentDenials_ofARevokedLoginToken_causeOneLogin() throws Exception {
    for (int i = 0; i < THREADS; i++) {
      vault.putKv2("secret", "app-" + i, Map.of("k", "v" + i));
    }
    vault.policy("reader", "secret/data/*");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofHours(1), Duration.ZERO, true, "reader");
    Map<String, String> env = new HashMap<>(vault.environment());
    env.remove("VAULT_TOKEN");
    env.putAll(
        Map.of(
            "VAULT_AUTH_METHOD",
            "approle",
            "VAULT_ROLE_ID",
            role.roleId(),
            "VAULT_SECRET_ID",
            role.secretId(),
            "LATCHKEY_VAULT_TIMEOUT",
            "600s"));
    MutableClock clock = new MutableClock();
    try (VaultSecretProvider provider = VaultSettings.builder(env).clock(clock).build()) {
      assertThat(provider.fetch(ref("vault:secret/app-0#k")).value().reveal()).isEqualTo("v0");
      assertThat(vault.requests("/v1/auth/approle/login")).isEqualTo(1);
      vault.loginTokens().forEach(vault::revokeToken);
      // Past the minute after the login within which a denial is taken as the policy's.
      clock.advance(VaultAuth.DENIAL_RECHECK);
      vault.hold("/v1/auth/approle/login");
      List<Future<String>> reads = readAll(provider, refs("vault:secret/data/app-%d#k", THREADS));
      until("the new login to be held", () -> vault.held() == 1);
      vault.release();
      for (int i = 0; i < THREADS; i++) {
        assertThat(reads.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("v" + i);
      }
      assertThat(vault.requests("/v1/auth/approle/login")).as("logins in all").isEqualTo(2);
      assertThat(vault.requests("/v1/auth/token/lookup-self")).as("one check").isEqualTo(1);
    }
  }

  @Test
  void tokenFile_rewrittenLate_isPickedUpAtTheNextDenial(@TempDir Path dir) throws Exception {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.policy("app-reader", "secret/data/app");
    String first = vault.createToken(Duration.ZERO, Duration.ZERO, false, "app-reader");
    Path file = dir.resolve("token");
    Files.writeString(file, first);
    Map<String, String> env = new HashMap<>(vault.environment());
    env.remove("VAULT_TOKEN");
    env.put("VAULT_TOKEN_FILE", file.toString());
    try (VaultSecretProvider provider = VaultSecretProvider.fromEnvironment(env)) {
      SecretRef app = ref("vault:secret/data/app#k");
      assertThat(provider.fetch(app).value().reveal()).isEqualTo("v");
      vault.revokeToken(first);
      // The agent has not rewritten the file yet: denied, and nothing is remembered as final.
      assertThat(Testing.failure(() -> provider.fetch(app)).kind()).isEqualTo(Kind.ACCESS_DENIED);
      Files.writeString(file, vault.createToken(Duration.ZERO, Duration.ZERO, false, "app-reader"));
      assertThat(provider.fetch(app).value().reveal()).isEqualTo("v");
    }
  }

  @Test
  void staticToken_revokedThenRestored_readsAgain_withOneTokenLookUp() {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.policy("app-reader", "secret/data/app");
    String token = vault.createToken(Duration.ZERO, Duration.ZERO, false, "app-reader");
    try (VaultSecretProvider provider = provider(vault, Map.of("VAULT_TOKEN", token))) {
      SecretRef app = ref("vault:secret/data/app#k");
      assertThat(provider.fetch(app).value().reveal()).isEqualTo("v");
      vault.revokeToken(token);
      ProviderException denied = Testing.failure(() -> provider.fetch(app));
      assertThat(denied.kind()).isEqualTo(Kind.ACCESS_DENIED);
      vault.restoreToken(token);
      assertThat(provider.fetch(app).value().reveal()).isEqualTo("v");
      until("the token look-up", () -> vault.requests("/v1/auth/token/lookup-self") >= 1);
      assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(1);
    }
  }
}
