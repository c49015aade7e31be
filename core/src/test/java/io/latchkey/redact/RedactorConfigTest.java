package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a redactor takes from a loaded configuration, and what it leaves alone. */
final class RedactorConfigTest {
  private static final String API_KEY = "sk-proj-Zq81mXc4Lw0pRt7Yb2Nv";
  private static final String POSTGRES_PASSWORD = "p@ss:w0rd/with%odd#chars";
  private static final String CURRENT_KEY = key(1);
  private static final String PREVIOUS_KEY = key(2);

  static final Setting<Secret> LLM_API_KEY = Setting.secret("LLM_API_KEY").build();
  static final Setting<Secret> PG_PASSWORD = Setting.secret("POSTGRES_PASSWORD").build();
  static final Setting<URI> DATABASE_URL =
      Setting.uri("DATABASE_URL", "postgresql")
          .derive("postgresql://app:${POSTGRES_PASSWORD|url}@db:5432/app")
          .build();
  static final Setting<KeyList> ENCRYPTION_KEY =
      Setting.fernetKeyList("APP_ENCRYPTION_KEY").build();
  static final Setting<URI> CACHE_URL = Setting.uri("CACHE_URL").build();
  static final Setting<String> JDBC_URL = Setting.string("JDBC_URL").build();
  static final Setting<String> APP_NAME = Setting.string("APP_NAME").build();
  static final Setting<URI> PUBLIC_URL =
      Setting.uri("PUBLIC_URL").derive("https://${APP_NAME}.example.com").build();
  static final Setting<String> AUTH_HEADER =
      Setting.string("AUTH_HEADER").derive("Bearer ${LLM_API_KEY}").build();
  static final Setting<Secret> UNSET = Setting.secret("UNSET_TOKEN").optional().build();

  private static String key(int seed) {
    byte[] bytes = new byte[32];
    new SplittableRandom(seed).nextBytes(bytes);
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  private static Config load() {
    Map<String, String> env = new HashMap<>();
    env.put("LLM_API_KEY", API_KEY);
    env.put("POSTGRES_PASSWORD", POSTGRES_PASSWORD);
    env.put("APP_ENCRYPTION_KEY", CURRENT_KEY);
    env.put("APP_ENCRYPTION_KEY_PREVIOUS", PREVIOUS_KEY);
    env.put("CACHE_URL", "redis://default:cache-pass-77Q@redis:6379/0");
    env.put("JDBC_URL", "jdbc:postgresql://db/app?user=app&password=jdbc-pass-88R&ssl=true");
    env.put("APP_NAME", "billing-service");
    return ConfigSchema.builder()
        .add(LLM_API_KEY)
        .add(PG_PASSWORD)
        .add(DATABASE_URL)
        .add(ENCRYPTION_KEY)
        .add(CACHE_URL)
        .add(JDBC_URL)
        .add(APP_NAME)
        .add(PUBLIC_URL)
        .add(AUTH_HEADER)
        .add(UNSET)
        .build()
        .load(ConfigSource.of(env, Origin.Kind.ENV));
  }

  @Test
  void of_config_redactsEverySecretUnderItsName() {
    Config config = load();
    Redactor redactor = Redactor.builder().config(config).mask(Redactor.Mask.NAME).build();

    assertThat(redactor.redact("key " + API_KEY)).isEqualTo("key [LLM_API_KEY]");
    assertThat(redactor.redact("pw=" + POSTGRES_PASSWORD)).isEqualTo("pw=[POSTGRES_PASSWORD]");
    assertThat(
            redactor.redact("pw=" + URLEncoder.encode(POSTGRES_PASSWORD, StandardCharsets.UTF_8)))
        .isEqualTo("pw=[POSTGRES_PASSWORD]");
    assertThat(redactor.redact("connecting to " + config.get(DATABASE_URL) + " now"))
        .isEqualTo("connecting to [DATABASE_URL] now");
    assertThat(redactor.redact("keys " + CURRENT_KEY + "," + PREVIOUS_KEY))
        .isEqualTo("keys [APP_ENCRYPTION_KEY],[APP_ENCRYPTION_KEY_PREVIOUS]");
    assertThat(redactor.redact("Authorization: Bearer " + API_KEY))
        .isEqualTo("Authorization: [AUTH_HEADER]");
  }

  @Test
  void of_config_redactsThePasswordsOfUrlsThatAreNotSecret() {
    Config config = load();
    Redactor redactor = Redactor.builder().config(config).mask(Redactor.Mask.NAME).build();

    assertThat(redactor.redact(config.get(CACHE_URL).toString()))
        .isEqualTo("redis://default:[CACHE_URL]@redis:6379/0");
    assertThat(redactor.redact(config.get(JDBC_URL)))
        .isEqualTo("jdbc:postgresql://db/app?user=app&password=[JDBC_URL]&ssl=true");
  }

  @Test
  void of_config_leavesValuesThatCameFromNoSecret() {
    Config config = load();
    Redactor redactor = Redactor.of(config);
    String text = "app billing-service at " + config.get(PUBLIC_URL) + " on port 5432";

    assertThat(redactor.redact(text)).isSameAs(text);
  }

  @Test
  void of_config_listsEntryByEntry_andSkipsWipedSecrets() {
    Setting<List<String>> tokens = Setting.list("API_TOKENS").secret().build();
    Config config =
        ConfigSchema.builder()
            .add(tokens)
            .add(LLM_API_KEY)
            .build()
            .load(
                ConfigSource.of(
                    Map.of("API_TOKENS", "tok-aaaa-1111, tok-bbbb-2222", "LLM_API_KEY", API_KEY),
                    Origin.Kind.ENV));
    config.get(LLM_API_KEY).wipe();

    Redactor redactor = Redactor.of(config);

    assertThat(redactor.redact("tok-bbbb-2222 then tok-aaaa-1111")).isEqualTo("*** then ***");
    assertThat(redactor.toString()).contains("values=2");
  }

  @Test
  void urlCredentials_findsWhatTheReportMasks() {
    // After ';' the value is a connection string's, which may hold spaces: it runs to the end.
    assertThat(ConfigValues.urlCredentials("https://u:p%40ss@h/x?api_key=k1&b=2;Pwd=k2 x"))
        .containsExactly("p%40ss", "p@ss", "k1", "k2 x");
    // A lone user part may be a token; "keys" holds "key".
    assertThat(ConfigValues.urlCredentials("https://user@h/x?q=1&x-api-key=banana&keys=no"))
        .containsExactly("user", "banana", "no");
    assertThat(ConfigValues.urlCredentials("no url, password= and token=%zz"))
        .containsExactly("%zz");
    assertThat(ConfigValues.urlCredentials("redis://default:Xk9/pQ2m#Z7w?L4@vRt@redis:6379/0"))
        .containsExactly("Xk9/pQ2m#Z7w?L4@vRt");
  }

  @Test
  void builder_severalConfigsAndHandValues_allRedacted() {
    Redactor redactor =
        Redactor.builder()
            .config(load())
            .config(
                ConfigSchema.builder()
                    .add(Setting.secret("OTHER_TOKEN").build())
                    .build()
                    .load(
                        ConfigSource.of(
                            Map.of("OTHER_TOKEN", "other-token-5551"), Origin.Kind.ENV)))
            .value("SESSION", Secret.of("session-9f8e7d6c"))
            .build();

    assertThat(redactor.find(API_KEY + " other-token-5551 session-9f8e7d6c"))
        .extracting(Redactor.Match::name)
        .containsExactly("LLM_API_KEY", "OTHER_TOKEN", "SESSION");
    assertThat(redactor.toString()).contains("tooShort=0");
  }
}
