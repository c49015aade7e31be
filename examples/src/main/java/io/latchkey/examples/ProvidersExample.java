package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.LatchkeyException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.Setting;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.ProviderHealth.Status;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Secrets from AWS Secrets Manager, GCP Secret Manager and Vault in one configuration, with a
 * rotation picked up while running and an outage ridden out on a stale value.
 *
 * <p>No cloud is needed: the three backends are the loopback servers the providers are tested
 * against, which speak the services' real wire protocols (AWS JSON 1.1 with SigV4, GCP's gRPC
 * service, Vault's HTTP API). The providers are the real ones, found on the class path and created
 * from an environment map exactly as in production; only the addresses point at loopback.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.latchkey.examples.ProvidersExample
 * </pre>
 */
public final class ProvidersExample {
  static final Setting<Secret> DATABASE_PASSWORD =
      Setting.secret("DATABASE_PASSWORD").description("From AWS Secrets Manager").build();
  static final Setting<Secret> LLM_API_KEY =
      Setting.secret("LLM_API_KEY").description("From GCP Secret Manager").build();
  static final Setting<Secret> JWT_SECRET_KEY =
      Setting.secret("JWT_SECRET_KEY").description("From Vault KV v2").build();
  static final Setting<Integer> HTTP_PORT = Setting.port("HTTP_PORT").defaultValue(8080).build();
  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(DATABASE_PASSWORD)
          .add(LLM_API_KEY)
          .add(JWT_SECRET_KEY)
          .add(HTTP_PORT)
          .build();

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofMillis(300);

  private final PrintStream out;

  private ProvidersExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try {
      run(System.out);
    } catch (LatchkeyException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  static void run(PrintStream out) {
    new ProvidersExample(out).run();
  }

  private void run() {
    try (FakeSecretsManager aws = FakeSecretsManager.start();
        FakeSecretManager gcp = FakeSecretManager.start();
        FakeVault vault = FakeVault.start()) {
      aws.putSecretString("prod/db", dbJson(randomHex()));
      gcp.addVersion("llm-api-key", ("sk-proj-" + randomHex()).getBytes(UTF_8));
      vault.putKv2("secret", "app", Map.of("jwt_signing_key", randomHex()));
      out.println("1. backends on loopback: " + aws + ", " + gcp + ", " + vault);

      // What a deployment would set: where each backend is, and where each secret lives.
      Map<String, String> env = new LinkedHashMap<>();
      env.putAll(aws.environment());
      env.putAll(gcp.environment());
      env.putAll(vault.environment());
      env.put("LATCHKEY_ENV_FILE", "none");
      env.put("DATABASE_PASSWORD", "ref+aws:prod/db#password");
      env.put("LLM_API_KEY", "ref+gcp:llm-api-key");
      env.put("JWT_SECRET_KEY", "ref+vault:secret/data/app#jwt_signing_key");
      env.put("HTTP_PORT", "8080");

      try (SecretProvider source = SecretProviders.select(env);
          SecretResolver resolver =
              SecretResolver.builder()
                  .discoverProviders(env)
                  .ttl(TTL)
                  .maxStale(Duration.ofMinutes(5))
                  .failureRecheck(TTL)
                  .build()) {
        resolver.addListener(
            (ref, before, after) ->
                out.println(
                    "   listener: "
                        + ref
                        + " changed from version "
                        + before.orElse("?")
                        + " to "
                        + after.orElse("?")));
        Config config = SCHEMA.load(new ResolvingConfigSource(source, resolver));
        out.println("2. configuration loaded through three providers (secrets masked):");
        out.println(config.report().toTable().indent(3).stripTrailing());
        out.println("   health: " + summary(resolver.health()));

        SecretRef password = SecretRef.parse("aws:prod/db#password");
        Secret before = resolver.resolve(password);
        String newVersion = aws.putSecretString("prod/db", dbJson(randomHex()));
        out.println("3. prod/db rotated in Secrets Manager to version " + newVersion);
        pause(TTL.multipliedBy(2));
        // After expiry a read returns the held value at once and refreshes in the background.
        resolver.resolve(password);
        awaitTrue(() -> !resolver.resolve(password).matches(before));
        Secret after = resolver.resolve(password);
        out.println(
            "   after the time-to-live the resolver serves the new password: "
                + !after.matches(before));

        aws.fail(FakeSecretsManager.Fault.INTERNAL_ERROR);
        out.println("4. Secrets Manager now answers every call with HTTP 500");
        pause(TTL.multipliedBy(2));
        resolver.resolve(password);
        awaitTrue(() -> resolver.health().get("aws").status() != Status.OK);
        Secret during = resolver.resolve(password);
        out.println(
            "   the resolver serves the last good password, stale: "
                + during.matches(after)
                + "; health: "
                + summary(resolver.health()));
        aws.clearFailures();
        pause(TTL.multipliedBy(2));
        // A stale value is served at once while a refresh runs in the background; wait for it.
        resolver.resolve(password);
        awaitTrue(() -> resolver.health().get("aws").status() == Status.OK);
        out.println("   recovered; health: " + summary(resolver.health()));

        out.println("5. mistakes get precise errors that name the reference, never a value:");
        for (String ref :
            List.of("aws:prod/db#pasword", "gcp:no-such-secret", "vault:secret/data/app@9")) {
          try {
            resolver.resolve(ref);
            out.println("   " + ref + ": resolved?");
          } catch (LatchkeyException e) {
            out.println("   " + e.getMessage());
          }
        }
      }
    }
  }

  /** Waits, for at most ten seconds, until the background refresh has done what is expected. */
  private static void awaitTrue(BooleanSupplier condition) {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      pause(Duration.ofMillis(20));
    }
  }

  private static String summary(Map<String, ProviderHealth> health) {
    StringBuilder sb = new StringBuilder();
    for (ProviderHealth h : health.values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(h.scheme()).append('=').append(h.status());
      h.lastErrorKind().ifPresent(k -> sb.append(" (last error: ").append(k.label()).append(')'));
    }
    return sb.toString();
  }

  private static String dbJson(String password) {
    return "{\"username\":\"app\",\"password\":\"" + password + "\"}";
  }

  private static String randomHex() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
