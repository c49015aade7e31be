package io.latchkey.bench;

import static io.latchkey.bench.Billing.expect;

import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.provider.env.EnvSecretProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The billing service's 100 settings as a Latchkey schema (see {@link Billing}). */
final class LatchkeyBilling {

  private LatchkeyBilling() {}

  /**
   * Declares the 100 settings and builds the schema, as an application does once at start-up; every
   * call makes new settings, so that measuring it measures all of that work.
   */
  static ConfigSchema schema() {
    ConfigSchema.Builder b = ConfigSchema.builder();
    // Server
    b.add(Setting.string("APP_NAME").group("Server").build());
    b.add(Setting.enumeration("APP_ENV", Billing.Environment.class).group("Server").build());
    b.add(Setting.port("PORT").group("Server").build());
    b.add(Setting.port("MANAGEMENT_PORT").group("Server").build());
    b.add(Setting.string("BIND_ADDRESS").defaultText("0.0.0.0").group("Server").build());
    b.add(Setting.string("PUBLIC_HOST").group("Server").build());
    b.add(
        Setting.uri("PUBLIC_BASE_URL", "https")
            .derive("https://${PUBLIC_HOST}")
            .group("Server")
            .build());
    b.add(Setting.duration("REQUEST_TIMEOUT").group("Server").build());
    b.add(Setting.duration("SHUTDOWN_GRACE_PERIOD").defaultText("20s").group("Server").build());
    b.add(Setting.integer("MAX_REQUEST_BODY_KB", 1, 1_048_576).group("Server").build());
    b.add(Setting.integer("WORKER_THREADS", 1, 1024).defaultText("16").group("Server").build());
    b.add(Setting.list("CORS_ALLOWED_ORIGINS").group("Server").build());
    b.add(Setting.bool("TRUST_FORWARDED_HEADERS").group("Server").build());
    b.add(Setting.enumeration("LOG_LEVEL", Billing.LogLevel.class).group("Server").build());
    b.add(Setting.enumeration("LOG_FORMAT", Billing.LogFormat.class).group("Server").build());
    // Database
    b.add(Setting.string("DB_HOST").group("Database").build());
    b.add(Setting.port("DB_PORT").defaultText("5432").group("Database").build());
    b.add(Setting.string("DB_NAME").group("Database").build());
    b.add(Setting.string("DB_USER").group("Database").build());
    b.add(Setting.secret("DB_PASSWORD").group("Database").build());
    b.add(Setting.enumeration("DB_SSL_MODE", Billing.SslMode.class).group("Database").build());
    b.add(Setting.integer("DB_POOL_SIZE", 1, 500).aliases("DB_POOL_MAX").group("Database").build());
    b.add(Setting.integer("DB_POOL_MIN_IDLE", 0, 500).defaultText("2").group("Database").build());
    b.add(Setting.duration("DB_CONNECT_TIMEOUT").group("Database").build());
    b.add(Setting.duration("DB_STATEMENT_TIMEOUT").group("Database").build());
    b.add(Setting.bool("DB_MIGRATE_ON_START").group("Database").build());
    b.add(
        Setting.uri("DATABASE_URL", "postgresql")
            .derive("postgresql://${DB_USER}:${DB_PASSWORD|url}@${DB_HOST}:${DB_PORT}/${DB_NAME}")
            .group("Database")
            .build());
    b.add(Setting.uri("DB_READ_REPLICA_URL", "postgresql").optional().group("Database").build());
    b.add(
        Setting.duration("DB_LEAK_DETECTION_THRESHOLD")
            .defaultText("2m")
            .group("Database")
            .build());
    // Cache
    b.add(Setting.string("REDIS_HOST").group("Cache").build());
    b.add(Setting.port("REDIS_PORT").defaultText("6379").group("Cache").build());
    b.add(Setting.secret("REDIS_PASSWORD").group("Cache").build());
    b.add(
        Setting.uri("REDIS_URL", "redis", "rediss")
            .derive("rediss://${REDIS_HOST}:${REDIS_PORT}/0")
            .group("Cache")
            .build());
    b.add(Setting.bool("REDIS_TLS").group("Cache").build());
    b.add(Setting.duration("CACHE_TTL").group("Cache").build());
    b.add(Setting.integer("CACHE_MAX_ENTRIES", 1, Integer.MAX_VALUE).group("Cache").build());
    b.add(Setting.bool("CACHE_ENABLED").defaultText("true").group("Cache").build());
    // Upstreams
    b.add(Setting.uri("PAYMENTS_API_URL", "https").group("Upstreams").build());
    b.add(Setting.secret("PAYMENTS_API_KEY").group("Upstreams").build());
    b.add(Setting.duration("PAYMENTS_TIMEOUT").group("Upstreams").build());
    b.add(
        Setting.integer("PAYMENTS_MAX_RETRIES", 0, 10).defaultText("3").group("Upstreams").build());
    b.add(Setting.uri("LEDGER_SERVICE_URL", "http", "https").group("Upstreams").build());
    b.add(Setting.duration("LEDGER_TIMEOUT").defaultText("5s").group("Upstreams").build());
    b.add(Setting.uri("HTTP_PROXY_URL", "http", "https").optional().group("Upstreams").build());
    b.add(
        Setting.string("HTTP_USER_AGENT")
            .defaultText("billing-service/1.0")
            .group("Upstreams")
            .build());
    b.add(Setting.list("OUTBOUND_ALLOWED_HOSTS").group("Upstreams").build());
    b.add(Setting.duration("HTTP_CONNECT_TIMEOUT").group("Upstreams").build());
    // LLM
    b.add(Setting.enumeration("LLM_PROVIDER", Billing.LlmProvider.class).group("LLM").build());
    b.add(Setting.secret("LLM_API_KEY").aliases("OPENAI_API_KEY").group("LLM").build());
    b.add(
        Setting.uri("LLM_BASE_URL", "https")
            .defaultText("https://api.openai.com/v1")
            .group("LLM")
            .build());
    b.add(Setting.string("LLM_MODEL").group("LLM").build());
    b.add(Setting.integer("LLM_MAX_TOKENS", 1, 200_000).group("LLM").build());
    b.add(Setting.duration("LLM_TIMEOUT").group("LLM").build());
    b.add(
        Setting.integer("LLM_REQUESTS_PER_MINUTE", 1, 100_000)
            .defaultText("600")
            .group("LLM")
            .build());
    b.add(Setting.list("LLM_FALLBACK_MODELS").group("LLM").build());
    b.add(Setting.string("LLM_ORGANIZATION").optional().group("LLM").build());
    // Auth
    b.add(Setting.uri("OAUTH_ISSUER_URL", "https").group("Auth").build());
    b.add(Setting.string("OAUTH_CLIENT_ID").group("Auth").build());
    b.add(Setting.secret("OAUTH_CLIENT_SECRET").group("Auth").build());
    b.add(Setting.list("OAUTH_SCOPES").defaultText("openid,profile,email").group("Auth").build());
    b.add(
        Setting.uri("OAUTH_CALLBACK_URL", "https")
            .derive("${PUBLIC_BASE_URL}/oauth/callback")
            .group("Auth")
            .build());
    b.add(Setting.secret("SESSION_SECRET").group("Auth").build());
    b.add(Setting.duration("SESSION_TTL").group("Auth").build());
    b.add(Setting.bool("SESSION_COOKIE_SECURE").defaultText("true").group("Auth").build());
    b.add(Setting.string("JWT_AUDIENCE").group("Auth").build());
    b.add(Setting.duration("JWT_CLOCK_SKEW").defaultText("30s").group("Auth").build());
    // Crypto
    b.add(Setting.fernetKey("ENCRYPTION_KEY").group("Crypto").build());
    b.add(Setting.secret("WEBHOOK_SIGNING_SECRET").group("Crypto").build());
    b.add(Setting.secret("ADMIN_API_TOKEN").aliases("ADMIN_TOKEN").group("Crypto").build());
    // Mail
    b.add(Setting.string("SMTP_HOST").aliases("MAIL_HOST").group("Mail").build());
    b.add(Setting.port("SMTP_PORT").group("Mail").build());
    b.add(Setting.string("SMTP_USERNAME").group("Mail").build());
    b.add(Setting.secret("SMTP_PASSWORD").group("Mail").build());
    b.add(Setting.bool("SMTP_STARTTLS").defaultText("true").group("Mail").build());
    b.add(Setting.string("MAIL_FROM").group("Mail").build());
    b.add(Setting.list("MAIL_BCC_ADDRESSES").optional().group("Mail").build());
    // Storage
    b.add(Setting.string("S3_BUCKET").group("Storage").build());
    b.add(Setting.string("S3_REGION").group("Storage").build());
    b.add(Setting.uri("S3_ENDPOINT_URL", "https").optional().group("Storage").build());
    b.add(Setting.string("S3_ACCESS_KEY_ID").group("Storage").build());
    b.add(Setting.secret("S3_SECRET_ACCESS_KEY").group("Storage").build());
    b.add(Setting.duration("INVOICE_RETENTION").defaultText("3650d").group("Storage").build());
    b.add(Setting.integer("UPLOAD_MAX_SIZE_MB", 1, 10_240).group("Storage").build());
    // Observability
    b.add(Setting.bool("METRICS_ENABLED").group("Observability").build());
    b.add(Setting.string("METRICS_PREFIX").defaultText("billing").group("Observability").build());
    b.add(Setting.integer("TRACING_SAMPLE_PERCENT", 0, 100).group("Observability").build());
    b.add(
        Setting.uri("OTEL_EXPORTER_OTLP_ENDPOINT", "http", "https").group("Observability").build());
    b.add(Setting.uri("SENTRY_DSN", "https").optional().group("Observability").build());
    b.add(Setting.duration("HEALTH_CHECK_INTERVAL").group("Observability").build());
    b.add(Setting.duration("SLOW_QUERY_THRESHOLD").group("Observability").build());
    b.add(Setting.bool("AUDIT_LOG_ENABLED").group("Observability").build());
    b.add(Setting.list("LOG_REDACT_FIELDS").group("Observability").build());
    // Jobs
    b.add(Setting.integer("JOB_QUEUE_CONCURRENCY", 1, 256).group("Jobs").build());
    b.add(Setting.duration("JOB_RETRY_BACKOFF").group("Jobs").build());
    b.add(Setting.integer("JOB_MAX_ATTEMPTS", 1, 100).defaultText("5").group("Jobs").build());
    b.add(Setting.integer("REENCRYPT_BATCH_SIZE", 1, 100_000).group("Jobs").build());
    b.add(Setting.list("FEATURE_FLAGS").group("Jobs").build());
    b.add(Setting.bool("MAINTENANCE_MODE").group("Jobs").build());
    b.add(Setting.enumeration("DEFAULT_CURRENCY", Billing.Currency.class).group("Jobs").build());
    b.add(Setting.string("TIMEZONE").defaultText("Europe/London").group("Jobs").build());
    return b.build();
  }

  /**
   * Reads and parses the {@code .env} file, then loads and validates the schema from it and the
   * environment, the environment winning.
   */
  static Config load(ConfigSchema schema, Map<String, String> environment, Path dotenv) {
    EnvSecretProvider provider =
        EnvSecretProvider.builder().environment(environment).dotenvFile(dotenv).build();
    return schema.load(provider);
  }

  /**
   * Checks values from every kind of source, that every non-optional setting has a value, and that
   * no secret shows in the masked {@code toString()}.
   *
   * @throws IllegalStateException if one is wrong
   */
  static void check(Config c) {
    expect("PORT (env)", 8080, c.get("PORT", Integer.class));
    expect("PORT origin", Origin.Kind.ENV, c.origin("PORT").map(Origin::kind).orElse(null));
    expect("MANAGEMENT_PORT (.env)", 9090, c.get("MANAGEMENT_PORT", Integer.class));
    expect(
        "MANAGEMENT_PORT origin",
        Origin.Kind.DOTENV,
        c.origin("MANAGEMENT_PORT").map(Origin::kind).orElse(null));
    expect("DB_PORT (default)", 5432, c.get("DB_PORT", Integer.class));
    expect("DB_POOL_SIZE (deprecated name, env)", 20, c.get("DB_POOL_SIZE", Integer.class));
    expect(
        "LLM_API_KEY (deprecated name, .env)",
        "CANARY-llm-7f3a9c",
        c.get("LLM_API_KEY", Secret.class).reveal());
    expect("ENCRYPTION_KEY", Billing.fernetKey(), c.get("ENCRYPTION_KEY", Secret.class).reveal());
    expect(
        "DATABASE_URL (derived)",
        URI.create(Billing.DATABASE_URL),
        c.get("DATABASE_URL", URI.class));
    expect(
        "OAUTH_CALLBACK_URL (derived twice)",
        URI.create(Billing.CALLBACK_URL),
        c.get("OAUTH_CALLBACK_URL", URI.class));
    expect("DB_SSL_MODE", Billing.SslMode.VERIFY_FULL, c.get("DB_SSL_MODE", Billing.SslMode.class));
    expect(
        "SLOW_QUERY_THRESHOLD",
        Duration.ofMillis(500),
        c.get("SLOW_QUERY_THRESHOLD", Duration.class));
    expect("JOB_RETRY_BACKOFF", Duration.ofSeconds(90), c.get("JOB_RETRY_BACKOFF", Duration.class));
    expect("INVOICE_RETENTION", Duration.ofDays(3650), c.get("INVOICE_RETENTION", Duration.class));
    expect("AUDIT_LOG_ENABLED", true, c.get("AUDIT_LOG_ENABLED", Boolean.class));
    expect(
        "OUTBOUND_ALLOWED_HOSTS",
        Billing.OUTBOUND_HOSTS,
        c.getList("OUTBOUND_ALLOWED_HOSTS", String.class));
    expect("SENTRY_DSN (optional)", Optional.empty(), c.find("SENTRY_DSN", URI.class));
    int present = 0;
    for (Setting<?> s : c.schema().settings()) {
      present += c.find(s.name(), s.javaType()).isPresent() ? 1 : 0;
    }
    expect("settings with a value", 94, present);
    if (c.toString().contains(Billing.CANARY)) {
      throw new IllegalStateException("a secret shows in Config.toString()");
    }
  }
}
