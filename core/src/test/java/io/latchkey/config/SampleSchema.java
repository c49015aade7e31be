package io.latchkey.config;

import io.latchkey.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The schema of a realistic backend service, declared with the builder. {@code sample-schema.json}
 * declares the same settings, and the docs golden files are generated from it.
 */
final class SampleSchema {
  enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  static final Setting<Integer> PORT =
      Setting.port("PORT")
          .defaultValue(8080)
          .group("Server")
          .description("Port the HTTP server listens on.")
          .examples("8080")
          .aliases("HTTP_PORT")
          .build();
  static final Setting<String> HOST =
      Setting.string("HOST")
          .defaultText("0.0.0.0")
          .group("Server")
          .description("Address the HTTP server binds to.")
          .build();
  static final Setting<Duration> REQUEST_TIMEOUT =
      Setting.duration("REQUEST_TIMEOUT")
          .defaultText("30s")
          .group("Server")
          .description("How long a request may take before it is cancelled.")
          .examples("30s", "2m")
          .build();
  static final Setting<Integer> WORKERS =
      Setting.integer("WORKERS", 1, 64)
          .defaultValue(4)
          .group("Server")
          .description("Number of worker threads.")
          .build();
  static final Setting<Boolean> DEBUG =
      Setting.bool("DEBUG")
          .defaultValue(false)
          .group("Server")
          .description("Turns on debug endpoints. Never in production.")
          .build();
  static final Setting<List<String>> ALLOWED_ORIGINS =
      Setting.list("ALLOWED_ORIGINS")
          .optional()
          .group("Server")
          .description("Origins allowed to call the API from a browser.")
          .examples("https://app.example.com,https://admin.example.com")
          .build();
  static final Setting<LogLevel> LOG_LEVEL =
      Setting.enumeration("LOG_LEVEL", LogLevel.class)
          .defaultValue(LogLevel.INFO)
          .group("Server")
          .description("Least severe level that is logged.")
          .build();

  static final Setting<Secret> POSTGRES_PASSWORD =
      Setting.secret("POSTGRES_PASSWORD")
          .optional()
          .group("Database")
          .description("Password of the database user; used to build DATABASE_URL.")
          .build();
  static final Setting<String> POSTGRES_HOST =
      Setting.string("POSTGRES_HOST")
          .defaultText("db")
          .group("Database")
          .description("Host of the database server; used to build DATABASE_URL.")
          .build();
  static final Setting<URI> DATABASE_URL =
      Setting.uri("DATABASE_URL", "postgresql", "postgres")
          .derive("postgresql://app:${POSTGRES_PASSWORD|url}@${POSTGRES_HOST}:5432/app")
          .group("Database")
          .description("Database connection URL.")
          .examples("postgresql://app:change-me@localhost:5432/app")
          .build();

  static final Setting<Secret> LLM_API_KEY =
      Setting.secret("LLM_API_KEY")
          .group("LLM")
          .description("API key of the LLM provider.")
          .aliases("OPENAI_API_KEY")
          .build();
  static final Setting<URI> LLM_BASE_URL =
      Setting.uri("LLM_BASE_URL", "https")
          .defaultText("https://api.openai.com/v1")
          .group("LLM")
          .description("Base URL of the LLM provider's API.")
          .build();

  static final Setting<KeyList> CREDENTIALS_KEY =
      Setting.fernetKeyList("CREDENTIALS_KEY")
          .group("Encryption")
          .description(
              "Fernet key that encrypts stored credentials. Generate one with `latchkey keygen`.")
          .build();

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(PORT)
          .add(HOST)
          .add(REQUEST_TIMEOUT)
          .add(WORKERS)
          .add(DEBUG)
          .add(ALLOWED_ORIGINS)
          .add(LOG_LEVEL)
          .add(POSTGRES_PASSWORD)
          .add(POSTGRES_HOST)
          .add(DATABASE_URL)
          .add(LLM_API_KEY)
          .add(LLM_BASE_URL)
          .add(CREDENTIALS_KEY)
          .build();

  private SampleSchema() {}

  /** A valid Fernet key string: 32 bytes, each {@code fill}. */
  static String fernetKey(int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  /**
   * A valid Fernet key whose text carries a canary: 43 base64 characters (the last one's unused
   * bits zero) and the padding.
   */
  static String canaryFernetKey(String canary) {
    String body = canary.replaceAll("[^A-Za-z0-9]", "");
    return (body + "A".repeat(43)).substring(0, 43) + "=";
  }
}
