package io.latchkey.bench;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The application {@link ConfigBenchmark} configures: a billing service with 100 settings, and the
 * environment and {@code .env} file it starts with. Plain JDK only, so that creating the inputs in
 * a benchmark's setup loads no class of Latchkey or SmallRye Config before a cold measurement.
 *
 * <p>Of the 100 settings, 34 are set in the environment (one under a deprecated name), 35 in the
 * {@code .env} file (one under a deprecated name), 21 take their default, 6 are optional and unset,
 * and 4 are derived from others. The environment also holds 24 variables the application does not
 * declare, as a container's environment does.
 */
final class Billing {

  /** Deployment environment. */
  enum Environment {
    DEVELOPMENT,
    STAGING,
    PRODUCTION
  }

  /** Log level. */
  enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  /** Log line format. */
  enum LogFormat {
    TEXT,
    JSON
  }

  /** PostgreSQL {@code sslmode}. */
  enum SslMode {
    DISABLE,
    REQUIRE,
    VERIFY_CA,
    VERIFY_FULL
  }

  /** LLM vendor. */
  enum LlmProvider {
    OPENAI,
    ANTHROPIC,
    AZURE_OPENAI
  }

  /** Invoice currency. */
  enum Currency {
    EUR,
    USD,
    GBP
  }

  /** Every secret value below contains this, so that a leak would be easy to spot. */
  static final String CANARY = "CANARY-";

  /** The derived database URL both libraries must produce. */
  static final String DATABASE_URL =
      "postgresql://billing_app:CANARY-db-7f3a9c@db.internal:5432/billing";

  /** The callback URL, derived from a derived setting. */
  static final String CALLBACK_URL = "https://billing.example.com/oauth/callback";

  /** The allowed outbound hosts, from a list in the {@code .env} file. */
  static final List<String> OUTBOUND_HOSTS =
      List.of("api.payments.example.com", "ledger.internal", "api.openai.com");

  private Billing() {}

  /**
   * Fails a benchmark's setup if a value is wrong; the message names the setting and never the
   * value, since some are secrets.
   */
  static void expect(String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(what + ": not the expected value");
    }
  }

  /** Returns a fixed Fernet key: 32 bytes from a seeded generator, URL-safe base64. */
  static String fernetKey() {
    byte[] key = new byte[32];
    new Random(0x1a7c4e7L).nextBytes(key);
    return Base64.getUrlEncoder().encodeToString(key);
  }

  /** Returns the process environment: 34 of the settings and 24 variables nobody declared. */
  static Map<String, String> environment() {
    String fernetKey = fernetKey();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
    env.put("HOME", "/home/app");
    env.put("HOSTNAME", "billing-7d9f8b6c5d-x2k4q");
    env.put("LANG", "C.UTF-8");
    env.put("PWD", "/app");
    env.put("SHLVL", "1");
    env.put("TERM", "xterm");
    env.put("JAVA_HOME", "/opt/java/openjdk");
    env.put("JAVA_VERSION", "jdk-17.0.13+11");
    env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
    env.put("MALLOC_ARENA_MAX", "2");
    env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.put("KUBERNETES_SERVICE_PORT", "443");
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", "443");
    env.put("KUBERNETES_PORT", "tcp://10.96.0.1:443");
    env.put("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443");
    env.put("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1");
    env.put("KUBERNETES_PORT_443_TCP_PORT", "443");
    env.put("KUBERNETES_PORT_443_TCP_PROTO", "tcp");
    env.put("BILLING_SERVICE_HOST", "10.96.14.7");
    env.put("BILLING_SERVICE_PORT", "8080");
    env.put("BILLING_PORT", "tcp://10.96.14.7:8080");
    env.put("OTEL_SERVICE_NAME", "billing");
    env.put("POD_NAMESPACE", "billing-prod");
    env.put("APP_NAME", "billing-service");
    env.put("APP_ENV", "production");
    env.put("PORT", "8080");
    env.put("REQUEST_TIMEOUT", "30s");
    env.put("CORS_ALLOWED_ORIGINS", "https://app.example.com,https://admin.example.com");
    env.put("LOG_LEVEL", "info");
    env.put("DB_HOST", "db.internal");
    env.put("DB_PASSWORD", "CANARY-db-7f3a9c");
    env.put("DB_POOL_MAX", "20");
    env.put("DB_STATEMENT_TIMEOUT", "15s");
    env.put("DB_MIGRATE_ON_START", "false");
    env.put("REDIS_TLS", "true");
    env.put("CACHE_TTL", "10m");
    env.put("PAYMENTS_API_URL", "https://api.payments.example.com/v2");
    env.put("PAYMENTS_API_KEY", "CANARY-pay-7f3a9c");
    env.put("HTTP_CONNECT_TIMEOUT", "2s");
    env.put("LLM_MODEL", "gpt-4o-mini");
    env.put("LLM_TIMEOUT", "1m");
    env.put("OAUTH_ISSUER_URL", "https://login.example.com/realms/billing");
    env.put("OAUTH_CLIENT_ID", "billing-service");
    env.put("SESSION_SECRET", "CANARY-session-7f3a9c");
    env.put("ENCRYPTION_KEY", fernetKey);
    env.put("ADMIN_API_TOKEN", "CANARY-admin-7f3a9c");
    env.put("SMTP_USERNAME", "billing@example.com");
    env.put("S3_BUCKET", "billing-invoices-prod");
    env.put("S3_ACCESS_KEY_ID", "AKIAEXAMPLE000000000");
    env.put("S3_SECRET_ACCESS_KEY", "CANARY-s3-7f3a9c");
    env.put("METRICS_ENABLED", "true");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317");
    env.put("SLOW_QUERY_THRESHOLD", "500ms");
    env.put("LOG_REDACT_FIELDS", "password,token,authorization");
    env.put("JOB_QUEUE_CONCURRENCY", "8");
    env.put("FEATURE_FLAGS", "new-invoices,usage-billing");
    env.put("MAINTENANCE_MODE", "false");
    return env;
  }

  /**
   * Returns the {@code .env} file: 35 of the settings, in groups with comments, in the syntax every
   * {@code .env} reader agrees on (no quotes, no {@code export}, no comment after a value).
   */
  static String dotenv() {
    List<String> lines = new ArrayList<>();
    lines.add("# billing service, production overrides");
    lines.add("");
    lines.add("# Server");
    lines.add("MANAGEMENT_PORT=9090");
    lines.add("PUBLIC_HOST=billing.example.com");
    lines.add("MAX_REQUEST_BODY_KB=1024");
    lines.add("TRUST_FORWARDED_HEADERS=true");
    lines.add("LOG_FORMAT=json");
    lines.add("");
    lines.add("# Database");
    lines.add("DB_NAME=billing");
    lines.add("DB_USER=billing_app");
    lines.add("DB_SSL_MODE=verify-full");
    lines.add("DB_CONNECT_TIMEOUT=5s");
    lines.add("");
    lines.add("# Cache");
    lines.add("REDIS_HOST=redis.internal");
    lines.add("REDIS_PASSWORD=CANARY-redis-7f3a9c");
    lines.add("CACHE_MAX_ENTRIES=50000");
    lines.add("");
    lines.add("# Upstreams");
    lines.add("PAYMENTS_TIMEOUT=10s");
    lines.add("LEDGER_SERVICE_URL=http://ledger.internal:8081");
    lines.add("OUTBOUND_ALLOWED_HOSTS=api.payments.example.com,ledger.internal,api.openai.com");
    lines.add("");
    lines.add("# LLM");
    lines.add("LLM_PROVIDER=openai");
    lines.add("OPENAI_API_KEY=CANARY-llm-7f3a9c");
    lines.add("LLM_MAX_TOKENS=4096");
    lines.add("LLM_FALLBACK_MODELS=gpt-4o,gpt-4.1-mini");
    lines.add("");
    lines.add("# Auth");
    lines.add("OAUTH_CLIENT_SECRET=CANARY-oauth-7f3a9c");
    lines.add("SESSION_TTL=12h");
    lines.add("JWT_AUDIENCE=billing-api");
    lines.add("");
    lines.add("# Crypto");
    lines.add("WEBHOOK_SIGNING_SECRET=CANARY-webhook-7f3a9c");
    lines.add("");
    lines.add("# Mail");
    lines.add("SMTP_HOST=smtp.example.com");
    lines.add("SMTP_PORT=587");
    lines.add("SMTP_PASSWORD=CANARY-smtp-7f3a9c");
    lines.add("MAIL_FROM=Billing <billing@example.com>");
    lines.add("");
    lines.add("# Storage");
    lines.add("S3_REGION=eu-west-1");
    lines.add("UPLOAD_MAX_SIZE_MB=25");
    lines.add("");
    lines.add("# Observability");
    lines.add("TRACING_SAMPLE_PERCENT=10");
    lines.add("HEALTH_CHECK_INTERVAL=15s");
    lines.add("AUDIT_LOG_ENABLED=yes");
    lines.add("");
    lines.add("# Jobs");
    lines.add("JOB_RETRY_BACKOFF=1m30s");
    lines.add("REENCRYPT_BATCH_SIZE=500");
    lines.add("DEFAULT_CURRENCY=eur");
    return String.join("\n", lines) + "\n";
  }
}
