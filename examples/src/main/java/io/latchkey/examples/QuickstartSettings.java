package io.latchkey.examples;

import io.latchkey.Secret;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.KeyList;
import io.latchkey.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The quickstart's configuration: the settings of a typical backend service, declared once with the
 * {@link Setting} builder.
 *
 * <p>{@code quickstart-schema.json} (a resource beside these classes) declares the same settings
 * for {@code latchkey doctor --schema} and for services not written in Java, and the project's
 * {@code .env.example} and {@code docs/quickstart-settings.md} are generated from {@link #SCHEMA}
 * by {@link GenerateDocs}. Tests fail when any of them drifts from this class.
 */
public final class QuickstartSettings {

  /** How log lines are written. */
  public enum LogFormat {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line, for a log collector. */
    JSON
  }

  // ---- Encryption ----

  /** The keys that encrypt stored credentials: the current one, then older ones still read. */
  public static final Setting<KeyList> APP_ENCRYPTION_KEY =
      Setting.fernetKeyList("APP_ENCRYPTION_KEY")
          .group("Encryption")
          .description(
              "Fernet key that encrypts the credentials the service stores. Generate one with"
                  + " `latchkey keygen`. To rotate, put the new key here and move the old one to"
                  + " `APP_ENCRYPTION_KEY_PREVIOUS`, restart, run `latchkey reencrypt`, and"
                  + " remove the old key once its report shows no failures.")
          .build();

  // ---- Authentication ----

  /** The key that signs session tokens. */
  public static final Setting<Secret> JWT_SECRET_KEY =
      Setting.secret("JWT_SECRET_KEY")
          .aliases("JWT_SECRET")
          .group("Authentication")
          .description(
              "Secret that signs session tokens (HS256). Use at least 32 random bytes, such as"
                  + " the output of `openssl rand -base64 32`. Changing it signs every user out.")
          .build();

  /** How long a session lasts. */
  public static final Setting<Duration> SESSION_TTL =
      Setting.duration("SESSION_TTL")
          .defaultText("30m")
          .group("Authentication")
          .description("How long a session token stays valid after sign-in.")
          .examples("30m", "8h")
          .build();

  // ---- Database ----

  /** The database user's password. */
  public static final Setting<Secret> POSTGRES_PASSWORD =
      Setting.secret("POSTGRES_PASSWORD")
          .group("Database")
          .description(
              "Password of the database user. Prefer `POSTGRES_PASSWORD_FILE` pointing at a"
                  + " mounted secret file over the value itself.")
          .build();

  /** The database server's host name. */
  public static final Setting<String> POSTGRES_HOST =
      Setting.string("POSTGRES_HOST")
          .defaultText("localhost")
          .group("Database")
          .description("Host name of the PostgreSQL server.")
          .examples("db.internal")
          .build();

  /** The database server's port. */
  public static final Setting<Integer> POSTGRES_PORT =
      Setting.port("POSTGRES_PORT")
          .defaultValue(5432)
          .group("Database")
          .description("Port of the PostgreSQL server.")
          .build();

  /** The database user. */
  public static final Setting<String> POSTGRES_USER =
      Setting.string("POSTGRES_USER")
          .defaultText("app")
          .group("Database")
          .description("Database user the service connects as.")
          .build();

  /** The database's name. */
  public static final Setting<String> POSTGRES_DB =
      Setting.string("POSTGRES_DB")
          .defaultText("app")
          .group("Database")
          .description("Name of the database.")
          .build();

  /** The connection URL, built from the settings above unless set. */
  public static final Setting<URI> DATABASE_URL =
      Setting.uri("DATABASE_URL", "postgresql", "postgres")
          .derive(
              "postgresql://${POSTGRES_USER|url}:${POSTGRES_PASSWORD|url}"
                  + "@${POSTGRES_HOST}:${POSTGRES_PORT}/${POSTGRES_DB|url}")
          .group("Database")
          .description(
              "Connection URL of the database. Leave it unset to have it built from the"
                  + " `POSTGRES_*` settings; set it when a platform hands you one URL.")
          .examples("postgresql://app:change-me@db.internal:5432/app")
          .build();

  // ---- Server ----

  /** The HTTP port. */
  public static final Setting<Integer> HTTP_PORT =
      Setting.port("HTTP_PORT")
          .defaultValue(8080)
          .group("Server")
          .description("Port the HTTP server listens on.")
          .build();

  /** The browser origins allowed to call the API. */
  public static final Setting<List<URI>> CORS_ORIGINS =
      Setting.list("CORS_ORIGINS", URI.class)
          .defaultText("http://localhost:3000")
          .group("Server")
          .description(
              "Origins that browsers may call the API from, comma-separated, each with its"
                  + " scheme.")
          .examples("https://app.example.com,https://admin.example.com")
          .build();

  /** The log format. */
  public static final Setting<LogFormat> LOG_FORMAT =
      Setting.enumeration("LOG_FORMAT", LogFormat.class)
          .defaultValue(LogFormat.TEXT)
          .group("Server")
          .description("`text` for people reading a terminal, `json` for a log collector.")
          .build();

  // ---- Features ----

  /** Whether new users may sign up. */
  public static final Setting<Boolean> FEATURE_SIGNUP =
      Setting.bool("FEATURE_SIGNUP")
          .defaultValue(true)
          .group("Features")
          .description(
              "Lets new users create an account. Turn it off to make the service invite-only.")
          .build();

  /** Whether the audit log is written. */
  public static final Setting<Boolean> FEATURE_AUDIT_LOG =
      Setting.bool("FEATURE_AUDIT_LOG")
          .defaultValue(false)
          .group("Features")
          .description("Records every read of a stored credential in the audit log.")
          .build();

  /** Every setting above, in the order the docs and the report list them. */
  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(APP_ENCRYPTION_KEY)
          .add(JWT_SECRET_KEY)
          .add(SESSION_TTL)
          .add(POSTGRES_PASSWORD)
          .add(POSTGRES_HOST)
          .add(POSTGRES_PORT)
          .add(POSTGRES_USER)
          .add(POSTGRES_DB)
          .add(DATABASE_URL)
          .add(HTTP_PORT)
          .add(CORS_ORIGINS)
          .add(LOG_FORMAT)
          .add(FEATURE_SIGNUP)
          .add(FEATURE_AUDIT_LOG)
          .build();

  private QuickstartSettings() {}
}
