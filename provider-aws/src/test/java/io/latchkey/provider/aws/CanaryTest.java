package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A secret value never shows up in a {@code toString()}, a description, an exception (message,
 * {@code toString()}, causes and suppressed exceptions, all the way down) or a log line, on every
 * success and error path; nor does what a backend echoes in its error answers.
 *
 * <p>Logs are captured at DEBUG through the tests' capturing SLF4J backend, the AWS SDK's included.
 */
final class CanaryTest {
  private static final String CANARY = "cAnArY-5b1d0e";

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final List<Throwable> failures = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();
  // Whether the providers opened call through the SDK's client rather than their own.
  private boolean viaSdk;

  @AfterEach
  void close() {
    fake.close();
  }

  private AwsSecretProvider open(Map<String, String> extra) {
    // Temporary credentials: the session token is a credential that travels in a header, so it
    // must reach no log either.
    Map<String, String> env = fake.temporaryEnvironment();
    env.put("LATCHKEY_AWS_TIMEOUT", "300ms");
    env.putAll(extra);
    if (!viaSdk) {
      return AwsSecretProvider.fromEnvironment(env);
    }
    // A supplied credentials provider hands the calls to the SDK's client.
    return AwsSettings.builder(env)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    env.get("AWS_ACCESS_KEY_ID"),
                    env.get("AWS_SECRET_ACCESS_KEY"),
                    env.get("AWS_SESSION_TOKEN"))))
        .build();
  }

  private void fail(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
      return;
    }
    throw new AssertionError("expected a failure");
  }

  private void attempt(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private void seed() {
    fake.putSecretString("plain", CANARY + "-plain");
    fake.putSecretString(
        "json",
        "{\"password\":\"" + CANARY + "-pw\",\"other\":{\"deep\":\"" + CANARY + "-deep\"}}");
    fake.putSecretString("broken-json", "{\"password\":\"" + CANARY + "-broken");
    fake.putSecretString("array", "[\"" + CANARY + "-array\"]");
    fake.putSecretBinary("binary", (CANARY + "-binary").getBytes(UTF_8));
    fake.putSecretString("config", "{\"API_KEY\":\"" + CANARY + "-config\",\"N\":1}");
    fake.putSecretString("config-not-object", CANARY + "-config-plain");
  }

  @ParameterizedTest(name = "through the SDK''s client: {0}")
  @ValueSource(booleans = {false, true})
  void secretValues_appearNowhereButInTheValues(boolean sdk) throws Exception {
    viaSdk = sdk;
    if (!sdk) {
      NoProxy.assume();
    }
    seed();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel();
        AwsSecretProvider provider = open(Map.of("LATCHKEY_AWS_CONFIG_SECRET", "config"));
        AwsSecretProvider notObject =
            open(Map.of("LATCHKEY_AWS_CONFIG_SECRET", "aws:config-not-object"));
        AwsSecretProvider noField =
            open(Map.of("LATCHKEY_AWS_CONFIG_SECRET", "aws:json#password"))) {
      // Successes: the value holds the canary, nothing else does.
      List<SecretVersion> versions = new ArrayList<>();
      versions.add(provider.fetch(SecretRef.parse("aws:plain")));
      versions.add(provider.fetch(SecretRef.parse("aws:json#password")));
      versions.add(provider.fetch(SecretRef.parse("aws:json#other")));
      versions.add(provider.fetch(SecretRef.parse("aws:binary")));
      versions.addAll(
          provider
              .fetchAll(
                  List.of(
                      SecretRef.parse("aws:plain"),
                      SecretRef.parse("aws:json#password"),
                      SecretRef.parse("aws:json#missing"),
                      SecretRef.parse("aws:binary#field"),
                      SecretRef.parse("aws:broken-json#password")))
              .values());
      for (SecretVersion v : versions) {
        assertThat(new String(v.value().revealBytes(), UTF_8)).contains(CANARY);
        texts.add(v.toString());
        texts.add(v.value().toString());
      }
      ConfigValue configValue = provider.get("API_KEY").orElseThrow();
      assertThat(configValue.text()).contains(CANARY);
      texts.add(configValue.toString());
      texts.add(configValue.origin().toString());
      texts.add(provider.names().toString());
      texts.add(provider.toString());
      texts.add(provider.description());
      texts.add(String.valueOf(provider.currentVersionId(SecretRef.parse("aws:plain"))));

      // Failures on values that hold the canary.
      fail(() -> provider.fetch(SecretRef.parse("aws:json#missing")));
      fail(() -> provider.fetch(SecretRef.parse("aws:plain#password")));
      fail(() -> provider.fetch(SecretRef.parse("aws:broken-json#password")));
      fail(() -> provider.fetch(SecretRef.parse("aws:array#0")));
      fail(() -> provider.fetch(SecretRef.parse("aws:binary#password")));
      fail(() -> notObject.get("API_KEY"));
      fail(() -> noField.names());
      try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
        fail(
            () ->
                resolver.prefetch(
                    List.of(
                        SecretRef.parse("aws:json#missing"),
                        SecretRef.parse("aws:plain#field"),
                        SecretRef.parse("aws:binary#field"))));
      }
      assertNoCredential(capture.events());
      log = capture.text();
    }
    assertClean(log);
    // The capture works: the provider logged at DEBUG, and so did the SDK where it was called (the
    // own client logs nothing, at any level).
    assertThat(log).contains("DEBUG io.latchkey");
    if (sdk) {
      assertThat(log).contains("DEBUG software.amazon.awssdk");
    } else {
      assertThat(log).doesNotContain("software.amazon.awssdk");
    }
  }

  @Test
  void whatTheBackendEchoes_isNeverCopied() throws Exception {
    seed();
    fake.errorText("echoed " + CANARY + " by the backend");
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel();
        AwsSecretProvider provider = open(Map.of("LATCHKEY_AWS_CONFIG_SECRET", "config"))) {
      SecretRef ref = SecretRef.parse("aws:json#password");
      for (Fault fault : Fault.values()) {
        fake.fail(fault);
        fail(() -> provider.fetch(ref));
        // DescribeSecret denied is not a failure: the answer is "unknown".
        attempt(() -> provider.currentVersionId(ref));
        fail(() -> provider.fetchAll(List.of(ref, SecretRef.parse("aws:plain"))));
        fail(() -> provider.get("API_KEY"));
        fake.clearFailures();
      }
      fake.failSecret("json", Fault.ACCESS_DENIED);
      assertThat(provider.fetchAll(List.of(ref, SecretRef.parse("aws:plain")))).hasSize(1);
      try (SecretResolver resolver =
          SecretResolver.builder()
              .provider(provider)
              .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
              .build()) {
        fail(() -> resolver.prefetch(List.of(ref, SecretRef.parse("aws:json#other"))));
        fail(() -> resolver.resolve(ref));
      }
      assertNoCredential(capture.events());
      log = latchkeyLines(capture.events());
    }
    assertClean(log);
  }

  @Test
  void wrongTypedAndOversizedAnswers_neverShowTheValue_evenInTheSdksDebugLog() throws Exception {
    seed();
    String object = "{\"password\":\"" + CANARY + "-typed\"}";
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel();
        AwsSecretProvider provider = open(Map.of())) {
      SecretRef ref = SecretRef.parse("aws:json#password");
      List<SecretRef> both = List.of(ref, SecretRef.parse("aws:plain"));
      fake.corrupt("GetSecretValue", "SecretString", object);
      fake.corrupt("DescribeSecret", "VersionIdsToStages.*", object);
      fake.corrupt("BatchGetSecretValue", "SecretValues[0].SecretString", object);
      fail(() -> provider.fetch(ref));
      fail(() -> provider.fetch(SecretRef.parse("aws:plain")));
      fail(() -> provider.currentVersionId(ref));
      fail(() -> provider.fetchAll(both));
      fake.clearFailures();
      fake.corrupt("GetSecretValue", "VersionStages", "\"" + CANARY + "-stage\"");
      fail(() -> provider.fetch(ref));
      fake.clearFailures();
      for (Fault fault : List.of(Fault.OVERSIZED, Fault.TRUNCATED)) {
        fake.fail(fault);
        fail(() -> provider.fetch(ref));
        fail(() -> provider.fetchAll(both));
        fake.clearFailures();
      }
      assertNoCredential(capture.events());
      log = capture.text();
    }
    assertClean(log);
    for (Throwable t : failures) {
      Leaks.assertNoLeak(t, CANARY + "-typed");
    }
  }

  private void assertClean(String log) {
    assertThat(failures).isNotEmpty();
    Leaks.assertNoLeak(failures, CANARY);
    for (String text : texts) {
      Leaks.assertNoLeak("a text", text, CANARY);
    }
    Leaks.assertNoLeak("the log", log, CANARY);
    for (String credential : credentials()) {
      Leaks.assertNoLeak(failures, credential);
      for (String text : texts) {
        Leaks.assertNoLeak("a text", text, credential);
      }
    }
  }

  /** The secret key and the session token {@link #open} hands the provider. */
  private List<String> credentials() {
    Map<String, String> env = fake.temporaryEnvironment();
    return List.of(env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"));
  }

  /**
   * The credentials never reach an exception, a text, or a line Latchkey logs. The libraries below
   * do log the session token at their debug levels (the SDK's signer prints the canonical request
   * at DEBUG, {@code HttpURLConnection} the request headers at FINE), which {@code
   * docs/providers/aws.md} warns about; this test keeps Latchkey's own lines to the rule.
   */
  private void assertNoCredential(List<CapturingSlf4jProvider.Event> events) {
    String ours = latchkeyLines(events);
    for (String credential : credentials()) {
      Leaks.assertNoLeak("Latchkey's log lines", ours, credential);
    }
  }

  /**
   * Keeps the log events of Latchkey's loggers, with their stack traces. The AWS SDK's own DEBUG
   * lines quote the service's error messages, which a backend may fill with anything; keeping the
   * SDK below DEBUG in production is the documented advice.
   */
  private static String latchkeyLines(List<CapturingSlf4jProvider.Event> events) {
    StringBuilder kept = new StringBuilder();
    for (CapturingSlf4jProvider.Event event : events) {
      if (event.logger().startsWith("io.latchkey")) {
        kept.append(event.text());
      }
    }
    assertThat(kept).as("the provider's log lines were captured").isNotEmpty();
    return kept.toString();
  }
}
