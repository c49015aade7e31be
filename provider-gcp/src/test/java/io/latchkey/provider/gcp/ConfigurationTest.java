package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.CANARY;
import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from an environment and from the builder: every problem reported at once. */
final class ConfigurationTest {
  @TempDir Path dir;

  private FakeSecretManager gcp;

  @BeforeAll
  static void warmUp() {
    Testing.warmUp();
  }

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
    gcp.addVersion("db", utf8("value"));
  }

  @AfterEach
  void stop() {
    gcp.close();
  }

  @Test
  void everyWrongSetting_isReportedAtOnce() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "bad/project",
                        "LATCHKEY_GCP_ENDPOINT", "no-port",
                        "LATCHKEY_GCP_PLAINTEXT", "maybe",
                        "LATCHKEY_GCP_TIMEOUT", "soon",
                        "LATCHKEY_GCP_CONFIG_SECRET", "aws:prod/config",
                        "GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("missing.json").toString())));

    // Core's types refuse what they cannot read, without quoting the text (every setting is
    // secret, in case a key was pasted into it); the builder refuses the rest. One exception, in
    // the schema's order.
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "GOOGLE_CLOUD_PROJECT",
                "is not valid: project is not a project id or number (letters, digits, '-', '.',"
                    + " ':' and '_')"),
            new Problem(
                "LATCHKEY_GCP_ENDPOINT",
                "is not valid: endpoint is not host:port, such as secretmanager.googleapis.com:443"
                    + " or 127.0.0.1:8085 (an IPv6 address in brackets)"),
            new Problem(
                "LATCHKEY_GCP_PLAINTEXT",
                "is not a boolean; expected one of true, false, yes, no, 1, 0 (any case)"
                    + " (from env)"),
            new Problem(
                "LATCHKEY_GCP_TIMEOUT",
                "is not a duration; expected a duration such as 500ms, 30s, 5m, 2h, 1d, or ISO-8601"
                    + " such as PT30S (from env)"),
            new Problem(
                "LATCHKEY_GCP_CONFIG_SECRET",
                "is not valid: configSecret names a secret of provider 'aws'; the configuration"
                    + " secret is read from GCP Secret Manager"),
            new Problem(
                "GOOGLE_APPLICATION_CREDENTIALS",
                "is not valid: credentialsFile names "
                    + dir.resolve("missing.json")
                    + ", which is not a file"));
  }

  @Test
  void plaintext_isRefusedForANonLoopbackEndpoint() {
    ConfigException remote =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "LATCHKEY_GCP_ENDPOINT", "secretmanager.example.com:8085",
                        "LATCHKEY_GCP_PLAINTEXT", "true")));
    ConfigException defaultEndpoint =
        catchThrowableOfType(
            ConfigException.class,
            () -> GcpSecretProvider.fromEnvironment(Map.of("LATCHKEY_GCP_PLAINTEXT", "yes")));
    ConfigException privateAddress =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "LATCHKEY_GCP_ENDPOINT", "10.0.0.5:8085",
                        "LATCHKEY_GCP_PLAINTEXT", "1")));

    assertThat(remote.problems())
        .containsExactly(
            new Problem(
                "LATCHKEY_GCP_PLAINTEXT",
                "is true, but LATCHKEY_GCP_ENDPOINT is secretmanager.example.com:8085; plaintext"
                    + " gRPC is allowed only to a loopback address (localhost, 127.0.0.0/8,"
                    + " [::1]), such as a local emulator"));
    assertThat(defaultEndpoint.problems().get(0).reason())
        .startsWith("is true, but LATCHKEY_GCP_ENDPOINT is unset (the default endpoint)");
    assertThat(privateAddress.problems()).hasSize(1);
  }

  @Test
  void plaintext_isAllowedForEveryLoopbackForm() {
    for (String endpoint : new String[] {"localhost:1", "LOCALHOST:2", "127.9.8.7:3", "[::1]:4"}) {
      try (GcpSecretProvider p =
          GcpSecretProvider.fromEnvironment(
              Map.of("LATCHKEY_GCP_ENDPOINT", endpoint, "LATCHKEY_GCP_PLAINTEXT", "true"))) {
        assertThat(p.description()).contains(endpoint + ", plaintext");
      }
    }
    assertThat(GcpSettings.isLoopback("127.0.0.1.example.com:1")).isFalse();
    assertThat(GcpSettings.isLoopback("[::2]:1")).isFalse();
    assertThat(GcpSettings.isLoopback("localhost.example.com:1")).isFalse();
  }

  @Test
  void legacyProjectVariable_isUsedWhenTheCurrentOneIsUnset() {
    Map<String, String> env =
        Map.of(
            "GCLOUD_PROJECT", "test-project",
            "LATCHKEY_GCP_ENDPOINT", gcp.target(),
            "LATCHKEY_GCP_PLAINTEXT", "true");
    try (GcpSecretProvider p = GcpSecretProvider.fromEnvironment(env)) {
      assertThat(p.fetch(SecretRef.parse("gcp:db")).value().reveal()).isEqualTo("value");
    }
    try (GcpSecretProvider p =
        GcpSecretProvider.fromEnvironment(with(env, "GOOGLE_CLOUD_PROJECT", "other"))) {
      assertThat(p.description()).contains("project other");
    }
    // A problem names the variable the value came from.
    ConfigException legacy =
        catchThrowableOfType(
            ConfigException.class,
            () -> GcpSecretProvider.fromEnvironment(with(env, "GCLOUD_PROJECT", "a/b")));
    assertThat(legacy.problems()).extracting(Problem::setting).containsExactly("GCLOUD_PROJECT");
    // The current variable wins, so a wrong legacy one is not read at all.
    try (GcpSecretProvider p =
        GcpSecretProvider.fromEnvironment(
            with(env, "GCLOUD_PROJECT", "a/b", "GOOGLE_CLOUD_PROJECT", "other"))) {
      assertThat(p.description()).contains("project other");
    }
  }

  @Test
  void blankSettings_countAsUnset() {
    try (GcpSecretProvider p =
        GcpSecretProvider.fromEnvironment(
            with(
                gcp.environment(),
                "LATCHKEY_GCP_TIMEOUT",
                " ",
                "LATCHKEY_GCP_CONFIG_SECRET",
                "",
                "GOOGLE_APPLICATION_CREDENTIALS",
                " "))) {
      assertThat(p.names()).isEmpty();
      assertThat(p.fetch(SecretRef.parse("gcp:db")).value().reveal()).isEqualTo("value");
    }
  }

  @Test
  void timeout_takesCoreDurations_daysIncluded_andMustBePositive() {
    Map<String, Duration> accepted =
        Map.of(
            "250ms", Duration.ofMillis(250),
            "5s", Duration.ofSeconds(5),
            " 2m ", Duration.ofMinutes(2),
            "1h30m", Duration.ofMinutes(90),
            "1d", Duration.ofDays(1),
            "PT0.5S", Duration.ofMillis(500));
    accepted.forEach(
        (text, expected) -> {
          try (GcpSecretProvider p =
              GcpSecretProvider.fromEnvironment(
                  with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", text))) {
            assertThat(p.callTimeout()).as(text).isEqualTo(expected);
          }
        });

    assertThat(timeoutProblem("0s")).isEqualTo("is not valid: timeout must be positive");
    assertThat(timeoutProblem("-PT1S")).startsWith("is negative");
    assertThat(timeoutProblem("5")).startsWith("has no unit");
  }

  private String timeoutProblem(String text) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", text)));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("LATCHKEY_GCP_TIMEOUT");
    return e.problems().get(0).reason();
  }

  @Test
  void timeout_fromTheEnvironment_isThePerCallDeadline() {
    gcp.fail(Failure.HANG);
    try (GcpSecretProvider p =
        GcpSecretProvider.fromEnvironment(
            with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "PT0.2S"))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> p.fetch(SecretRef.parse("gcp:db")));
      assertThat(e.reason()).isEqualTo("no answer within 200ms (DEADLINE_EXCEEDED)");
    }
  }

  @Test
  void configSecret_malformedReference_isReportedByPosition() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", "app config")));

    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "LATCHKEY_GCP_CONFIG_SECRET",
                "is not valid: configSecret is not a secret reference at position 3: unexpected"
                    + " white space or control character; escape it as %XX; expected such as"
                    + " app-config or projects/P/secrets/app-config"));
  }

  @Test
  void configSecret_withItsScheme_isReportedByPositionInTheSettingsOwnText() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", "gcp:app config")));

    assertThat(e.problems().get(0).reason())
        .startsWith("is not valid: configSecret is not a secret reference at position 7: ");
  }

  @Test
  void credentialsFile_thatIsNotCredentials_isNamed_neverQuoted() throws Exception {
    Path file = Files.writeString(dir.resolve("creds.json"), "{\"type\":\"" + CANARY + "\"");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                GcpSecretProvider.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "p",
                        "LATCHKEY_GCP_ENDPOINT", gcp.target(),
                        "GOOGLE_APPLICATION_CREDENTIALS", file.toString())));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("GOOGLE_APPLICATION_CREDENTIALS");
    assertThat(e.problems().get(0).reason())
        .startsWith("names " + file + ", which is not a credentials file");
    assertThat(e.getMessage()).doesNotContain(CANARY);
  }

  @Test
  void credentialsFile_serviceAccount_isUsedOverTls_andTheKeyNeverLeaks() throws Exception {
    Path file = serviceAccountFile();
    try (GcpSecretProvider tls =
        GcpSecretProvider.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "test-project",
                "LATCHKEY_GCP_ENDPOINT", gcp.target(),
                "GOOGLE_APPLICATION_CREDENTIALS", file.toString()))) {
      assertThat(tls.description())
          .isEqualTo("GCP Secret Manager (" + gcp.target() + ", project test-project)");
      // TLS against a plaintext server: the handshake fails before any credential is sent.
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> tls.fetch(SecretRef.parse("gcp:db")));
      assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
      assertThat(e.toString()).doesNotContain(CANARY).doesNotContain("PRIVATE KEY");
    }
  }

  @Test
  void credentialsFile_isIgnoredWithPlaintext() throws Exception {
    Path file = serviceAccountFile();
    try (GcpSecretProvider p =
        GcpSecretProvider.fromEnvironment(
            with(gcp.environment(), "GOOGLE_APPLICATION_CREDENTIALS", file.toString()))) {
      assertThat(p.fetch(SecretRef.parse("gcp:db")).value().reveal()).isEqualTo("value");
    }
  }

  @Test
  void builder_checksEachSettingAtOnce() {
    GcpSecretProvider.Builder b = GcpSecretProvider.builder();

    assertThatThrownBy(() -> b.project("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("project is not a project id");
    assertThatThrownBy(() -> b.endpoint("host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("endpoint is not host:port");
    assertThatThrownBy(() -> b.endpoint("host:70000"))
        .hasMessage("endpoint has a port outside 1-65535");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessage("timeout must be positive");
    assertThatThrownBy(() -> b.configSecret("vault:x"))
        .hasMessageStartingWith("configSecret names a secret of provider 'vault'");
    assertThatThrownBy(() -> b.credentialsFile(dir.resolve("none")))
        .hasMessage("credentialsFile names " + dir.resolve("none") + ", which is not a file");
  }

  @Test
  void builder_refusesPlaintextToARemoteEndpoint() {
    assertThatThrownBy(
            () ->
                GcpSecretProvider.builder()
                    .endpoint("secretmanager.googleapis.com:443")
                    .plaintext(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("plaintext is allowed only to a loopback endpoint");
  }

  @Test
  void builder_suppliedClient_staysTheCallers_andStillGetsTheDeadlineAndOneAttempt()
      throws Exception {
    // The caller's client keeps Secret Manager's default retry settings (UNAVAILABLE is retried).
    SecretManagerServiceSettings settings = Testing.plaintextClientSettings(gcp.target());
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create(settings)) {
      GcpSecretProvider p =
          GcpSecretProvider.builder()
              .client(client)
              .project("test-project")
              .timeout(Duration.ofMillis(300))
              .build();
      assertThat(p.fetch(SecretRef.parse("gcp:db")).value().reveal()).isEqualTo("value");
      assertThat(p.description())
          .isEqualTo("GCP Secret Manager (caller's client, project test-project)");

      gcp.fail(Failure.UNAVAILABLE);
      long before = gcp.requests("AccessSecretVersion");
      ProviderException unavailable =
          catchThrowableOfType(ProviderException.class, () -> p.fetch(SecretRef.parse("gcp:db")));
      assertThat(unavailable.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
      assertThat(gcp.requests("AccessSecretVersion") - before).isEqualTo(1);

      gcp.clearFailures();
      gcp.fail(Failure.HANG);
      ProviderException timeout =
          catchThrowableOfType(ProviderException.class, () -> p.fetch(SecretRef.parse("gcp:db")));
      assertThat(timeout.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);

      p.close();
      assertThat(client.isShutdown()).isFalse();
    }
  }

  @Test
  void builder_suppliedClient_cannotBeCombinedWithTransportSettings() throws Exception {
    SecretManagerServiceSettings settings = Testing.plaintextClientSettings(gcp.target());
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create(settings)) {
      assertThatThrownBy(
              () -> GcpSecretProvider.builder().client(client).endpoint("localhost:1").build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("a supplied client brings its own endpoint");
    }
  }

  /** Writes a service-account key file whose fields hold the canary; its token URI is loopback. */
  private Path serviceAccountFile() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\\n"
            + Base64.getEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\\n-----END PRIVATE KEY-----\\n";
    String json =
        "{\"type\":\"service_account\",\"project_id\":\"test-project\","
            + "\"private_key_id\":\""
            + CANARY
            + "\",\"private_key\":\""
            + pem
            + "\",\"client_email\":\"app@test-project.iam.gserviceaccount.com\","
            + "\"client_id\":\"1\",\"token_uri\":\"http://127.0.0.1:9/token\"}";
    return Files.write(dir.resolve("service-account.json"), json.getBytes(UTF_8));
  }
}
