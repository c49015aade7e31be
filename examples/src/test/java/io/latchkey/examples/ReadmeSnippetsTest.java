package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.KeyRing;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.KeyList;
import io.latchkey.config.Setting;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples, compiled and run here, and a check that the README (and, for the key
 * ring, the getting-started page) shows them as they are written here (Caffeine's snippets
 * approach), so that they cannot rot.
 *
 * <p>Each example sits between {@code // README:} and {@code // README end} comments. The one
 * difference allowed: the examples here take the environment as the parameter {@code
 * processEnvironment} so that a test can point it at a {@code .env} file, where the README says
 * {@code System.getenv()}.
 */
final class ReadmeSnippetsTest {
  private static final Path SOURCE =
      Path.of("src/test/java/io/latchkey/examples/ReadmeSnippetsTest.java");
  private static final Path README = Path.of("../README.md");
  private static final Path GETTING_STARTED = Path.of("../docs/getting-started.md");
  private static final String START = "// README: ";
  private static final String END = "// README end";

  @TempDir Path dir;

  /** What the first example computed, for the test to check. */
  record FirstExample(String token, Secret apiKey, String current) {}

  /** The README's first example: a key ring from the key list in the environment or `.env`. */
  static FirstExample firstExample(Map<String, String> processEnvironment, String apiKeyFromUser) {
    // spotless:off (the README shows this as written here)
    // README: first, the key ring (also in docs/getting-started.md)
    // APP_ENCRYPTION_KEY holds the current key, APP_ENCRYPTION_KEY_PREVIOUS older ones
    // (comma-separated), in the environment or in the .env file.
    Setting<KeyList> encryptionKey = Setting.fernetKeyList("APP_ENCRYPTION_KEY").build();
    Config config;
    try (SecretProvider source = SecretProviders.select(processEnvironment)) {
      config = ConfigSchema.builder().add(encryptionKey).build().load(source);
    }
    KeyRing ring = FernetKeyRing.of("APP_ENCRYPTION_KEY", config.get(encryptionKey));
    // README end
    // spotless:on

    // spotless:off (the README shows this as written here)
    // README: first, using the ring
    String token = ring.encrypt(Secret.of(apiKeyFromUser));  // store this
    Secret apiKey = ring.decryptSecret(token);               // prints as sk-...***
    String current = ring.rotate(token);                     // re-encrypted under the current key
    // README end
    // spotless:on
    return new FirstExample(token, apiKey, current);
  }

  /** Stands in for a connection pool. */
  static final class Pool {
    final AtomicInteger evictions = new AtomicInteger();

    void softEvictConnections() {
      evictions.incrementAndGet();
    }
  }

  static final Setting<Secret> DATABASE_PASSWORD = Setting.secret("DATABASE_PASSWORD").build();
  static final ConfigSchema SCHEMA = ConfigSchema.builder().add(DATABASE_PASSWORD).build();

  /** The README's resolver example: the resolver lives as long as the application. */
  static Map<String, ProviderHealth> resolverExample(
      Map<String, String> processEnvironment, Pool pool) {
    // spotless:off (the README shows this as written here)
    // README: resolver
    // Built once at start-up and kept: the resolver refreshes values in the background and tells
    // listeners of rotations until it is closed, so close it when the application stops.
    SecretProvider source = SecretProviders.select(processEnvironment);
    SecretResolver resolver = SecretResolver.builder()
        .discoverProviders(processEnvironment)     // aws, gcp, vault: created on first use
        .ttl(Duration.ofMinutes(5)).maxStale(Duration.ofMinutes(30)).build();
    resolver.addListener((ref, oldVersion, newVersion) -> pool.softEvictConnections());
    Config config = SCHEMA.load(new ResolvingConfigSource(source, resolver));
    Map<String, ProviderHealth> health = resolver.health();   // OK/DEGRADED/FAILED/UNKNOWN per provider
    // ... and when the application stops:
    resolver.close();
    source.close();
    // README end
    // spotless:on
    assertThat(config.get(DATABASE_PASSWORD).reveal()).isEqualTo("db-password-from-env");
    return health;
  }

  @Test
  void firstExample_keysInDotenvFile_encryptsDecryptsAndRotates() throws IOException {
    FernetKey current = FernetKey.generate();
    FernetKey previous = FernetKey.generate();
    Path dotenv = dir.resolve(".env");
    Files.writeString(
        dotenv,
        "APP_ENCRYPTION_KEY="
            + current.encoded().reveal()
            + "\nAPP_ENCRYPTION_KEY_PREVIOUS="
            + previous.encoded().reveal()
            + "\n",
        UTF_8);
    Map<String, String> environment = Map.of("LATCHKEY_ENV_FILE", dotenv.toString());

    FirstExample run = firstExample(environment, "sk-live-0123456789");

    assertThat(run.apiKey().reveal()).isEqualTo("sk-live-0123456789");
    assertThat(run.apiKey().toString()).doesNotContain("0123456789");
    assertThat(FernetKeyRing.of(current).decrypt(run.current()))
        .isEqualTo("sk-live-0123456789".getBytes(UTF_8));
    String oldToken = FernetKeyRing.of(previous).encrypt("old".getBytes(UTF_8));
    assertThat(FernetKeyRing.of(current, previous).decrypt(oldToken))
        .isEqualTo("old".getBytes(UTF_8));
  }

  @Test
  void firstExample_keyInEnvironmentAndNoDotenv_works() {
    Map<String, String> environment = new HashMap<>();
    environment.put("LATCHKEY_ENV_FILE", "none");
    environment.put("APP_ENCRYPTION_KEY", FernetKey.generate().encoded().reveal());

    assertThat(firstExample(environment, "x").apiKey().reveal()).isEqualTo("x");
  }

  @Test
  void firstExample_noKeyAnywhere_namesTheSetting() {
    assertThatThrownBy(() -> firstExample(Map.of("LATCHKEY_ENV_FILE", "none"), "x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("APP_ENCRYPTION_KEY");
  }

  @Test
  void resolverExample_plainValues_loadsAndReportsHealth() {
    Map<String, String> environment =
        Map.of("LATCHKEY_ENV_FILE", "none", "DATABASE_PASSWORD", "db-password-from-env");

    assertThat(resolverExample(environment, new Pool())).isNotNull();
  }

  @Test
  void readme_showsEveryExampleAsCompiledHere() throws IOException {
    String readme = Files.readString(README, UTF_8);
    List<String> snippets = snippets(Files.readAllLines(SOURCE, UTF_8));

    assertThat(snippets).hasSize(3);
    for (String snippet : snippets) {
      assertThat(readme).as("README.md holds this example verbatim").contains(snippet);
    }
    assertThat(Files.readString(GETTING_STARTED, UTF_8))
        .as("getting started builds the key ring as the README does")
        .contains(snippets.get(0));
  }

  /** The examples between the markers, de-indented, with the README's spelling. */
  private static List<String> snippets(List<String> lines) {
    List<String> snippets = new ArrayList<>();
    List<String> current = null;
    for (String line : lines) {
      String stripped = line.strip();
      if (stripped.startsWith(START)) {
        current = new ArrayList<>();
      } else if (stripped.equals(END) && current != null) {
        snippets.add(deindent(current).replace("processEnvironment", "System.getenv()"));
        current = null;
      } else if (current != null) {
        current.add(line);
      }
    }
    return snippets;
  }

  private static String deindent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return sb.toString();
  }
}
