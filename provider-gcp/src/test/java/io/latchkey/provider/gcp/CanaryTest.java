package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.CANARY;
import static io.latchkey.provider.gcp.Testing.failure;
import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary value stored in secrets, and echoed by the server in every error description it sends,
 * shows up nowhere but in the values fetched: not in an exception (message, {@code toString()},
 * causes, suppressed exceptions), not in {@code toString()} or a description, not in a log line of
 * the provider, the resolver, Google's client or gRPC (captured at the levels the tests run with).
 */
final class CanaryTest {
  private final MutableClock clock = new MutableClock();
  @TempDir Path dir;

  @BeforeAll
  static void warmUp() {
    Testing.warmUp();
  }

  @Test
  void canary_appearsNowhereButInTheValues() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel();
        FakeSecretManager gcp = FakeSecretManager.start()) {
      gcp.echoInErrors(" (request had " + CANARY + ")");
      gcp.addVersion("db", utf8("{\"user\":\"app\",\"password\":\"" + CANARY + "\"}"));
      gcp.addVersion("plain", utf8(CANARY + "-plain"));
      gcp.addVersion("app-config", utf8("{\"API_KEY\":\"" + CANARY + "-config\"}"));
      gcp.addVersion("bad-config", utf8("API_KEY=" + CANARY));
      gcp.addVersion("gone", utf8(CANARY + "-gone"));
      gcp.disableVersion("gone", 1);
      gcp.addVersion("corrupt", utf8(CANARY + "-corrupt"));

      try (GcpSecretProvider provider =
              GcpSecretProvider.fromEnvironment(
                  with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", "app-config"));
          // A hung call ends at once at its deadline, so that no test waits for it; what the
          // time-out says is the same whatever its length.
          GcpSecretProvider hurried =
              GcpSecretProvider.fromEnvironment(
                  with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "1ms"));
          GcpSecretProvider badConfig =
              GcpSecretProvider.fromEnvironment(
                  with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", "bad-config"))) {
        // Successes: the values hold the canary, nothing around them does.
        for (String ref : List.of("gcp:db#password", "gcp:plain", "gcp:db")) {
          SecretVersion version = provider.fetch(SecretRef.parse(ref));
          assertThat(version.value().reveal()).contains(CANARY);
          texts.add(version.toString());
          texts.add(version.value().toString());
        }
        ConfigValue configValue = provider.get("API_KEY").orElseThrow();
        assertThat(configValue.text()).contains(CANARY);
        texts.add(configValue.toString());
        texts.add(provider.names().toString());
        texts.add(provider.description());
        texts.add(provider.toString());

        // Every way a fetch can fail, each with the canary in the server's description or value.
        failures.add(failure(() -> provider.fetch(SecretRef.parse("gcp:db#missing"))));
        failures.add(failure(() -> provider.fetch(SecretRef.parse("gcp:plain#field"))));
        failures.add(failure(() -> provider.fetch(SecretRef.parse("gcp:nope"))));
        failures.add(failure(() -> provider.fetch(SecretRef.parse("gcp:gone"))));
        failures.add(failure(() -> provider.currentVersionId(SecretRef.parse("gcp:gone"))));
        for (Failure injected : Failure.values()) {
          String meta = "meta-" + injected;
          gcp.addVersion(meta, utf8(CANARY));
          gcp.fail(injected);
          GcpSecretProvider p = injected == Failure.HANG ? hurried : provider;
          failures.add(failure(() -> p.fetch(SecretRef.parse("gcp:db#password"))));
          if (injected != Failure.PERMISSION_DENIED) {
            // (Without permission to read metadata, currentVersionId answers "unknown" instead.)
            failures.add(failure(() -> p.currentVersionId(SecretRef.parse("gcp:" + meta))));
          }
          gcp.clearFailures();
        }
        gcp.corruptChecksums(true);
        failures.add(failure(() -> provider.fetch(SecretRef.parse("gcp:corrupt"))));
        gcp.corruptChecksums(false);
        failures.add(failure(() -> badConfig.get("API_KEY")));

        // Through the resolver: a stale value after a failure, then a prefetch that fails.
        try (SecretResolver resolver =
            SecretResolver.builder()
                .provider(provider)
                .clock(clock)
                .ttl(Duration.ofMinutes(1))
                .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
                .build()) {
          assertThat(resolver.resolve("gcp:db#password").reveal()).isEqualTo(CANARY);
          gcp.fail(Failure.UNAVAILABLE);
          clock.advance(Duration.ofMinutes(2));
          assertThat(resolver.resolve("gcp:db#password").reveal()).isEqualTo(CANARY);
          failures.add(
              failure(
                  () ->
                      resolver.prefetch(
                          List.of(SecretRef.parse("gcp:plain"), SecretRef.parse("gcp:db#user")))));
          gcp.clearFailures();
          texts.add(resolver.toString());
          texts.add(resolver.health().toString());
        }
      }

      // Credentials: a file that is not credentials, holding the canary.
      Path creds = Files.writeString(dir.resolve("creds.json"), "{\"private_key\":\"" + CANARY);
      failures.add(
          failure(
              () ->
                  GcpSecretProvider.fromEnvironment(
                      Map.of(
                          "LATCHKEY_GCP_ENDPOINT", gcp.target(),
                          "GOOGLE_APPLICATION_CREDENTIALS", creds.toString()))));
      log = capture.text();
    }

    assertThat(failures).hasSize(8 + 2 * Failure.values().length).doesNotContainNull();
    Leaks.assertNoLeak(failures, CANARY);
    for (String text : texts) {
      Leaks.assertNoLeak("a text", text, CANARY);
    }
    // The capture works: the provider and the resolver logged while this ran.
    assertThat(log).contains("DEBUG io.latchkey.provider.gcp").contains("WARN io.latchkey");
    Leaks.assertNoLeak("the log", log, CANARY);
  }
}
