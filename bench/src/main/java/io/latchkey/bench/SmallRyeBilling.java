package io.latchkey.bench;

import static io.latchkey.bench.Billing.expect;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.FallbackConfigSourceInterceptor;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Loads {@link BillingConfig} with SmallRye Config from the same environment map and {@code .env}
 * file as Latchkey, with the same precedence, deprecated names and constraints.
 */
final class SmallRyeBilling {

  /** As {@link EnvConfigSource}'s own ordinal: above the {@code .env} source's 295. */
  private static final int ENV_ORDINAL = 300;

  /** The deprecated names, new property to old, as the Latchkey settings' aliases. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "db-pool-size", "db-pool-max",
          "llm-api-key", "openai-api-key",
          "admin-api-token", "admin-token",
          "smtp-host", "mail-host");

  private SmallRyeBilling() {}

  /**
   * Builds a config over the environment and the {@code .env} file (parsed here) and maps and
   * validates all 100 members.
   *
   * @throws ConfigValidationException listing every problem
   */
  static SmallRyeConfig load(Map<String, String> environment, Path dotenv) {
    return new SmallRyeConfigBuilder()
        .withSources(new EnvConfigSource(environment, ENV_ORDINAL))
        .withSources(new DotEnvConfigSourceProvider(dotenv.toUri().toString()))
        // Expressions (for the derived settings), profiles and the like, as SmallRye always has.
        .addDefaultInterceptors()
        .withInterceptors(new FallbackConfigSourceInterceptor(ALIASES))
        .withConverter(Duration.class, 200, new ShortDurationConverter())
        .withMapping(BillingConfig.class)
        .withValidator(new Validator())
        .build();
  }

  /**
   * Checks the same values as {@link LatchkeyBilling#check}.
   *
   * @throws IllegalStateException if one is wrong
   */
  static void check(SmallRyeConfig config) {
    BillingConfig c = config.getConfigMapping(BillingConfig.class);
    expect("PORT (env)", 8080, c.port());
    expect("MANAGEMENT_PORT (.env)", 9090, c.managementPort());
    expect("DB_PORT (default)", 5432, c.dbPort());
    expect("DB_POOL_SIZE (deprecated name, env)", 20, c.dbPoolSize());
    expect("LLM_API_KEY (deprecated name, .env)", "CANARY-llm-7f3a9c", c.llmApiKey().get());
    expect("ENCRYPTION_KEY", Billing.fernetKey(), c.encryptionKey().get());
    expect("DATABASE_URL (derived)", URI.create(Billing.DATABASE_URL), c.databaseUrl());
    expect(
        "OAUTH_CALLBACK_URL (derived twice)",
        URI.create(Billing.CALLBACK_URL),
        c.oauthCallbackUrl());
    expect("DB_SSL_MODE", Billing.SslMode.VERIFY_FULL, c.dbSslMode());
    expect("SLOW_QUERY_THRESHOLD", Duration.ofMillis(500), c.slowQueryThreshold());
    expect("JOB_RETRY_BACKOFF", Duration.ofSeconds(90), c.jobRetryBackoff());
    expect("INVOICE_RETENTION", Duration.ofDays(3650), c.invoiceRetention());
    expect("AUDIT_LOG_ENABLED", true, c.auditLogEnabled());
    expect("OUTBOUND_ALLOWED_HOSTS", Billing.OUTBOUND_HOSTS, c.outboundAllowedHosts());
    expect("SENTRY_DSN (optional)", Optional.empty(), c.sentryDsn());
  }

  /**
   * Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 3650d} and ISO-8601, as
   * Latchkey does; SmallRye itself reads ISO-8601 only. This is Quarkus's converter, which SmallRye
   * users register: a number with a unit is ISO-8601 without its {@code PT}.
   */
  static final class ShortDurationConverter implements Converter<Duration> {
    private static final long serialVersionUID = 1L;

    @Override
    public Duration convert(String value) {
      String text = value.strip();
      if (text.isEmpty()) {
        return null;
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      char first = text.charAt(0);
      if (first == 'P' || first == 'p' || first == '-') {
        return Duration.parse(text);
      }
      if (text.endsWith("d") || text.endsWith("D")) {
        return Duration.parse("P" + text);
      }
      return Duration.parse("PT" + text);
    }
  }

  /**
   * The constraints SmallRye's converters do not check: integer ranges, ports, absolute URIs with
   * an allowed scheme, and the shape of the Fernet key. SmallRye calls this once the mapping is
   * built; it reports every problem at once, naming the property and never the value.
   */
  static final class Validator implements ConfigValidator {
    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject) {
      List<Problem> p = new ArrayList<>();
      check((BillingConfig) mappingObject, p);
      if (!p.isEmpty()) {
        throw new ConfigValidationException(p.toArray(new Problem[0]));
      }
    }

    private static void check(BillingConfig c, List<Problem> p) {
      range(p, "PORT", c.port(), 1, 65535);
      range(p, "MANAGEMENT_PORT", c.managementPort(), 1, 65535);
      uri(p, "PUBLIC_BASE_URL", c.publicBaseUrl(), "https");
      range(p, "MAX_REQUEST_BODY_KB", c.maxRequestBodyKb(), 1, 1048576);
      range(p, "WORKER_THREADS", c.workerThreads(), 1, 1024);
      range(p, "DB_PORT", c.dbPort(), 1, 65535);
      range(p, "DB_POOL_SIZE", c.dbPoolSize(), 1, 500);
      range(p, "DB_POOL_MIN_IDLE", c.dbPoolMinIdle(), 0, 500);
      uri(p, "DATABASE_URL", c.databaseUrl(), "postgresql");
      c.dbReadReplicaUrl().ifPresent(u -> uri(p, "DB_READ_REPLICA_URL", u, "postgresql"));
      range(p, "REDIS_PORT", c.redisPort(), 1, 65535);
      uri(p, "REDIS_URL", c.redisUrl(), "redis", "rediss");
      range(p, "CACHE_MAX_ENTRIES", c.cacheMaxEntries(), 1, Integer.MAX_VALUE);
      uri(p, "PAYMENTS_API_URL", c.paymentsApiUrl(), "https");
      range(p, "PAYMENTS_MAX_RETRIES", c.paymentsMaxRetries(), 0, 10);
      uri(p, "LEDGER_SERVICE_URL", c.ledgerServiceUrl(), "http", "https");
      c.httpProxyUrl().ifPresent(u -> uri(p, "HTTP_PROXY_URL", u, "http", "https"));
      uri(p, "LLM_BASE_URL", c.llmBaseUrl(), "https");
      range(p, "LLM_MAX_TOKENS", c.llmMaxTokens(), 1, 200000);
      range(p, "LLM_REQUESTS_PER_MINUTE", c.llmRequestsPerMinute(), 1, 100000);
      uri(p, "OAUTH_ISSUER_URL", c.oauthIssuerUrl(), "https");
      uri(p, "OAUTH_CALLBACK_URL", c.oauthCallbackUrl(), "https");
      fernetKey(p, "ENCRYPTION_KEY", c.encryptionKey().get());
      range(p, "SMTP_PORT", c.smtpPort(), 1, 65535);
      c.s3EndpointUrl().ifPresent(u -> uri(p, "S3_ENDPOINT_URL", u, "https"));
      range(p, "UPLOAD_MAX_SIZE_MB", c.uploadMaxSizeMb(), 1, 10240);
      range(p, "TRACING_SAMPLE_PERCENT", c.tracingSamplePercent(), 0, 100);
      uri(p, "OTEL_EXPORTER_OTLP_ENDPOINT", c.otelExporterOtlpEndpoint(), "http", "https");
      c.sentryDsn().ifPresent(u -> uri(p, "SENTRY_DSN", u, "https"));
      range(p, "JOB_QUEUE_CONCURRENCY", c.jobQueueConcurrency(), 1, 256);
      range(p, "JOB_MAX_ATTEMPTS", c.jobMaxAttempts(), 1, 100);
      range(p, "REENCRYPT_BATCH_SIZE", c.reencryptBatchSize(), 1, 100000);
    }

    private static void range(List<Problem> p, String name, int value, int min, int max) {
      if (value < min || value > max) {
        p.add(new Problem(name + ": must be from " + min + " to " + max));
      }
    }

    private static void uri(List<Problem> p, String name, URI value, String... schemes) {
      String scheme = value.getScheme();
      if (!value.isAbsolute() || scheme == null) {
        p.add(new Problem(name + ": must be an absolute URI"));
        return;
      }
      for (String allowed : schemes) {
        if (allowed.equalsIgnoreCase(scheme)) {
          return;
        }
      }
      p.add(new Problem(name + ": scheme must be one of " + String.join(", ", schemes)));
    }

    private static void fernetKey(List<Problem> p, String name, String key) {
      boolean ok = key.length() == 44;
      if (ok) {
        try {
          String url = key.replace('+', '-').replace('/', '_');
          ok = Base64.getUrlDecoder().decode(url).length == 32;
        } catch (IllegalArgumentException e) {
          ok = false;
        }
      }
      if (!ok) {
        p.add(new Problem(name + ": must be 32 bytes of base64 (44 characters)"));
      }
    }
  }
}
