package io.latchkey.bench;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.Secret;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The billing service's 100 settings as a SmallRye Config mapping, member for member the same as
 * {@link LatchkeyBilling#schema()}: with an empty prefix, {@code dbPoolSize()} is the property
 * {@code db-pool-size}, which the environment sources find as {@code DB_POOL_SIZE}. Derived
 * settings are defaults with expressions; constraints are checked by {@link SmallRyeBilling}.
 */
@ConfigMapping(prefix = "")
interface BillingConfig {
  // Server

  /** APP_NAME. */
  String appName();

  /** APP_ENV. */
  Billing.Environment appEnv();

  /** PORT. */
  int port();

  /** MANAGEMENT_PORT. */
  int managementPort();

  /** BIND_ADDRESS. */
  @WithDefault("0.0.0.0")
  String bindAddress();

  /** PUBLIC_HOST. */
  String publicHost();

  /** PUBLIC_BASE_URL. */
  @WithDefault("https://${public-host}")
  URI publicBaseUrl();

  /** REQUEST_TIMEOUT. */
  Duration requestTimeout();

  /** SHUTDOWN_GRACE_PERIOD. */
  @WithDefault("20s")
  Duration shutdownGracePeriod();

  /** MAX_REQUEST_BODY_KB. */
  int maxRequestBodyKb();

  /** WORKER_THREADS. */
  @WithDefault("16")
  int workerThreads();

  /** CORS_ALLOWED_ORIGINS. */
  List<String> corsAllowedOrigins();

  /** TRUST_FORWARDED_HEADERS. */
  boolean trustForwardedHeaders();

  /** LOG_LEVEL. */
  Billing.LogLevel logLevel();

  /** LOG_FORMAT. */
  Billing.LogFormat logFormat();

  // Database

  /** DB_HOST. */
  String dbHost();

  /** DB_PORT. */
  @WithDefault("5432")
  int dbPort();

  /** DB_NAME. */
  String dbName();

  /** DB_USER. */
  String dbUser();

  /** DB_PASSWORD. */
  Secret<String> dbPassword();

  /** DB_SSL_MODE. */
  Billing.SslMode dbSslMode();

  /** DB_POOL_SIZE. */
  int dbPoolSize();

  /** DB_POOL_MIN_IDLE. */
  @WithDefault("2")
  int dbPoolMinIdle();

  /** DB_CONNECT_TIMEOUT. */
  Duration dbConnectTimeout();

  /** DB_STATEMENT_TIMEOUT. */
  Duration dbStatementTimeout();

  /** DB_MIGRATE_ON_START. */
  boolean dbMigrateOnStart();

  /** DATABASE_URL. */
  @WithDefault("postgresql://${db-user}:${db-password}@${db-host}:${db-port}/${db-name}")
  URI databaseUrl();

  /** DB_READ_REPLICA_URL. */
  Optional<URI> dbReadReplicaUrl();

  /** DB_LEAK_DETECTION_THRESHOLD. */
  @WithDefault("2m")
  Duration dbLeakDetectionThreshold();

  // Cache

  /** REDIS_HOST. */
  String redisHost();

  /** REDIS_PORT. */
  @WithDefault("6379")
  int redisPort();

  /** REDIS_PASSWORD. */
  Secret<String> redisPassword();

  /** REDIS_URL. */
  @WithDefault("rediss://${redis-host}:${redis-port}/0")
  URI redisUrl();

  /** REDIS_TLS. */
  boolean redisTls();

  /** CACHE_TTL. */
  Duration cacheTtl();

  /** CACHE_MAX_ENTRIES. */
  int cacheMaxEntries();

  /** CACHE_ENABLED. */
  @WithDefault("true")
  boolean cacheEnabled();

  // Upstreams

  /** PAYMENTS_API_URL. */
  URI paymentsApiUrl();

  /** PAYMENTS_API_KEY. */
  Secret<String> paymentsApiKey();

  /** PAYMENTS_TIMEOUT. */
  Duration paymentsTimeout();

  /** PAYMENTS_MAX_RETRIES. */
  @WithDefault("3")
  int paymentsMaxRetries();

  /** LEDGER_SERVICE_URL. */
  URI ledgerServiceUrl();

  /** LEDGER_TIMEOUT. */
  @WithDefault("5s")
  Duration ledgerTimeout();

  /** HTTP_PROXY_URL. */
  Optional<URI> httpProxyUrl();

  /** HTTP_USER_AGENT. */
  @WithDefault("billing-service/1.0")
  String httpUserAgent();

  /** OUTBOUND_ALLOWED_HOSTS. */
  List<String> outboundAllowedHosts();

  /** HTTP_CONNECT_TIMEOUT. */
  Duration httpConnectTimeout();

  // LLM

  /** LLM_PROVIDER. */
  Billing.LlmProvider llmProvider();

  /** LLM_API_KEY. */
  Secret<String> llmApiKey();

  /** LLM_BASE_URL. */
  @WithDefault("https://api.openai.com/v1")
  URI llmBaseUrl();

  /** LLM_MODEL. */
  String llmModel();

  /** LLM_MAX_TOKENS. */
  int llmMaxTokens();

  /** LLM_TIMEOUT. */
  Duration llmTimeout();

  /** LLM_REQUESTS_PER_MINUTE. */
  @WithDefault("600")
  int llmRequestsPerMinute();

  /** LLM_FALLBACK_MODELS. */
  List<String> llmFallbackModels();

  /** LLM_ORGANIZATION. */
  Optional<String> llmOrganization();

  // Auth

  /** OAUTH_ISSUER_URL. */
  URI oauthIssuerUrl();

  /** OAUTH_CLIENT_ID. */
  String oauthClientId();

  /** OAUTH_CLIENT_SECRET. */
  Secret<String> oauthClientSecret();

  /** OAUTH_SCOPES. */
  @WithDefault("openid,profile,email")
  List<String> oauthScopes();

  /** OAUTH_CALLBACK_URL. */
  @WithDefault("${public-base-url}/oauth/callback")
  URI oauthCallbackUrl();

  /** SESSION_SECRET. */
  Secret<String> sessionSecret();

  /** SESSION_TTL. */
  Duration sessionTtl();

  /** SESSION_COOKIE_SECURE. */
  @WithDefault("true")
  boolean sessionCookieSecure();

  /** JWT_AUDIENCE. */
  String jwtAudience();

  /** JWT_CLOCK_SKEW. */
  @WithDefault("30s")
  Duration jwtClockSkew();

  // Crypto

  /** ENCRYPTION_KEY. */
  Secret<String> encryptionKey();

  /** WEBHOOK_SIGNING_SECRET. */
  Secret<String> webhookSigningSecret();

  /** ADMIN_API_TOKEN. */
  Secret<String> adminApiToken();

  // Mail

  /** SMTP_HOST. */
  String smtpHost();

  /** SMTP_PORT. */
  int smtpPort();

  /** SMTP_USERNAME. */
  String smtpUsername();

  /** SMTP_PASSWORD. */
  Secret<String> smtpPassword();

  /** SMTP_STARTTLS. */
  @WithDefault("true")
  boolean smtpStarttls();

  /** MAIL_FROM. */
  String mailFrom();

  /** MAIL_BCC_ADDRESSES. */
  Optional<List<String>> mailBccAddresses();

  // Storage

  /** S3_BUCKET. */
  String s3Bucket();

  /** S3_REGION. */
  String s3Region();

  /** S3_ENDPOINT_URL. */
  Optional<URI> s3EndpointUrl();

  /** S3_ACCESS_KEY_ID. */
  String s3AccessKeyId();

  /** S3_SECRET_ACCESS_KEY. */
  Secret<String> s3SecretAccessKey();

  /** INVOICE_RETENTION. */
  @WithDefault("3650d")
  Duration invoiceRetention();

  /** UPLOAD_MAX_SIZE_MB. */
  int uploadMaxSizeMb();

  // Observability

  /** METRICS_ENABLED. */
  boolean metricsEnabled();

  /** METRICS_PREFIX. */
  @WithDefault("billing")
  String metricsPrefix();

  /** TRACING_SAMPLE_PERCENT. */
  int tracingSamplePercent();

  /** OTEL_EXPORTER_OTLP_ENDPOINT. */
  URI otelExporterOtlpEndpoint();

  /** SENTRY_DSN. */
  Optional<URI> sentryDsn();

  /** HEALTH_CHECK_INTERVAL. */
  Duration healthCheckInterval();

  /** SLOW_QUERY_THRESHOLD. */
  Duration slowQueryThreshold();

  /** AUDIT_LOG_ENABLED. */
  boolean auditLogEnabled();

  /** LOG_REDACT_FIELDS. */
  List<String> logRedactFields();

  // Jobs

  /** JOB_QUEUE_CONCURRENCY. */
  int jobQueueConcurrency();

  /** JOB_RETRY_BACKOFF. */
  Duration jobRetryBackoff();

  /** JOB_MAX_ATTEMPTS. */
  @WithDefault("5")
  int jobMaxAttempts();

  /** REENCRYPT_BATCH_SIZE. */
  int reencryptBatchSize();

  /** FEATURE_FLAGS. */
  List<String> featureFlags();

  /** MAINTENANCE_MODE. */
  boolean maintenanceMode();

  /** DEFAULT_CURRENCY. */
  Billing.Currency defaultCurrency();

  /** TIMEZONE. */
  @WithDefault("Europe/London")
  String timezone();
}
