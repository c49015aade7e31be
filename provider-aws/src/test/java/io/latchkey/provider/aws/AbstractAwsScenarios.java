package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's scenarios, run against any backend that speaks the Secrets Manager API: the
 * loopback fake ({@link LoopbackScenariosTest}) and LocalStack ({@link LocalStackContainerTest}).
 *
 * <p>A subclass points the provider at its backend ({@link #environment()}) and seeds secrets
 * through the backend's own API. Secret names are unique per test, so that a shared backend needs
 * no cleaning.
 */
abstract class AbstractAwsScenarios {
  private final String prefix = "latchkey-test/" + UUID.randomUUID().toString().substring(0, 8);
  private final List<AwsSecretProvider> providers = new ArrayList<>();
  private AwsSecretProvider provider;

  /** The settings that point the provider at the backend: region, endpoint, credentials. */
  abstract Map<String, String> environment();

  /** Stores a new string value (creating the secret if needed); returns the new version id. */
  abstract String putString(String name, String value);

  /** Stores a new binary value (creating the secret if needed); returns the new version id. */
  abstract String putBinary(String name, byte[] value);

  /** Moves a staging label to a version. */
  abstract void moveStage(String name, String stage, String versionId);

  /** Schedules a secret for deletion, with a recovery window. */
  abstract void scheduleDeletion(String name);

  /** Returns a secret's full ARN. */
  abstract String arn(String name);

  /** Returns how many requests for an operation the backend saw, where it can tell. */
  OptionalLong requests(String operation) {
    return OptionalLong.empty();
  }

  @AfterEach
  void closeProviders() {
    providers.forEach(AwsSecretProvider::close);
  }

  AwsSecretProvider provider() {
    if (provider == null) {
      provider = open(environment());
    }
    return provider;
  }

  AwsSecretProvider open(Map<String, String> environment) {
    AwsSecretProvider p = AwsSecretProvider.fromEnvironment(environment);
    providers.add(p);
    return p;
  }

  /** Returns a secret name unique to this test. */
  String name(String suffix) {
    return prefix + "/" + suffix;
  }

  static SecretRef ref(String path) {
    return SecretRef.of("aws", path);
  }

  private void assertRequests(String operation, long expected) {
    OptionalLong seen = requests(operation);
    if (seen.isPresent()) {
      assertThat(seen.getAsLong()).as(operation + " requests").isEqualTo(expected);
    }
  }

  private static String text(SecretVersion version) {
    return version.value().reveal();
  }

  @Test
  void fetch_string_returnsTheValueWithItsVersionIdAndStages() {
    String name = name("plain");
    String versionId = putString(name, "s3cr3t value");

    SecretVersion version = provider().fetch(ref(name));

    assertThat(text(version)).isEqualTo("s3cr3t value");
    assertThat(version.versionId()).contains(versionId);
    assertThat(version.stages()).contains("AWSCURRENT");
    assertThat(version.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void fetch_field_returnsAStringMemberAsIt_anyOtherValueAsItsJsonText_andNullAsAbsent() {
    String name = name("json");
    putString(
        name,
        "{\"password\":\"pa\\\"ss\",\"port\":5432,\"tls\":true,\"nested\":{\"a\":[1,2]},"
            + "\"nothing\":null}");

    assertThat(text(provider().fetch(ref(name).withField("password")))).isEqualTo("pa\"ss");
    assertThat(text(provider().fetch(ref(name).withField("port")))).isEqualTo("5432");
    assertThat(text(provider().fetch(ref(name).withField("tls")))).isEqualTo("true");
    assertThat(text(provider().fetch(ref(name).withField("nested")))).isEqualTo("{\"a\":[1,2]}");
    assertThat(
            catchThrowableOfType(
                    SecretNotFoundException.class,
                    () -> provider().fetch(ref(name).withField("nothing")))
                .reason())
        .isEqualTo("no field 'nothing'");
  }

  @Test
  void fetch_missingField_isNotFound() {
    String name = name("json");
    putString(name, "{\"password\":\"pw\"}");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider().fetch(ref(name).withField("username")));

    assertThat(e.reason()).isEqualTo("no field 'username'");
    assertThat(e.ref()).isEqualTo(ref(name).withField("username"));
  }

  @Test
  void fetch_fieldOfAValueThatIsNotAJsonObject_isNotFound_withoutQuotingTheValue() {
    for (String value : List.of("plain-not-json", "[\"an\",\"array\"]", "{\"broken\":")) {
      String name = name("not-object-" + Integer.toHexString(value.hashCode()));
      putString(name, value);

      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class,
              () -> provider().fetch(ref(name).withField("password")));

      assertThat(e.reason()).contains("not a JSON object").contains("'password'");
      assertThat(e.getMessage()).doesNotContain(value);
    }
  }

  @Test
  void fetch_binary_returnsTheBytes() {
    String name = name("binary");
    byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0x80, 'x'};
    String versionId = putBinary(name, bytes);

    SecretVersion version = provider().fetch(ref(name));

    assertThat(version.value().revealBytes()).isEqualTo(bytes);
    assertThat(version.versionId()).contains(versionId);
  }

  @Test
  void fetch_fieldOfABinarySecret_isNotFound() {
    String name = name("binary");
    putBinary(name, "{\"password\":\"pw\"}".getBytes(UTF_8));

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider().fetch(ref(name).withField("password")));

    assertThat(e.reason()).contains("binary").contains("'password'");
  }

  @Test
  void fetch_missingSecret_isNotFound() {
    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider().fetch(ref(name("missing"))));

    assertThat(e.reason()).startsWith("no such secret");
  }

  @Test
  void fetch_afterRotation_stagesAndVersionIdsSelectTheirVersion() {
    String name = name("rotated");
    String v1 = putString(name, "one");
    String v2 = putString(name, "two");

    assertThat(text(provider().fetch(ref(name)))).isEqualTo("two");
    assertThat(text(provider().fetch(ref(name).withVersion("AWSCURRENT")))).isEqualTo("two");
    SecretVersion previous = provider().fetch(ref(name).withVersion("AWSPREVIOUS"));
    assertThat(text(previous)).isEqualTo("one");
    assertThat(previous.versionId()).contains(v1);
    assertThat(previous.stages()).containsExactly("AWSPREVIOUS");
    assertThat(text(provider().fetch(ref(name).withVersion(v1)))).isEqualTo("one");
    assertThat(text(provider().fetch(ref(name).withVersion(v2)))).isEqualTo("two");
  }

  @Test
  void fetch_unknownStageOrVersionId_isNotFound() {
    String name = name("versions");
    putString(name, "one");

    for (String version : List.of("AWSPENDING", UUID.randomUUID().toString())) {
      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class,
              () -> provider().fetch(ref(name).withVersion(version)));
      assertThat(e.reason()).startsWith("no such secret, or no such version");
    }
  }

  @Test
  void fetch_customStage_selectsTheVersionItIsAttachedTo() {
    String name = name("custom-stage");
    String v1 = putString(name, "blue value");
    putString(name, "green value");
    moveStage(name, "blue", v1);

    SecretVersion blue = provider().fetch(ref(name).withVersion("blue"));

    assertThat(text(blue)).isEqualTo("blue value");
    assertThat(blue.stages()).contains("blue", "AWSPREVIOUS");
    assertThat(provider().currentVersionId(ref(name).withVersion("blue"))).contains(v1);
  }

  @Test
  void fetch_byArn_andParsedReferenceWithArnAndField() {
    String name = name("arn");
    putString(name, "{\"key\":\"by-arn\"}");
    String arn = arn(name);

    assertThat(text(provider().fetch(ref(arn).withField("key")))).isEqualTo("by-arn");
    assertThat(text(provider().fetch(SecretRef.parse("aws:" + arn + "#key")))).isEqualTo("by-arn");
  }

  @Test
  void currentVersionId_followsTheStage_andRotation() {
    String name = name("current");
    String v1 = putString(name, "one");

    assertThat(provider().currentVersionId(ref(name))).contains(v1);
    assertThat(provider().currentVersionId(ref(name).withField("any"))).contains(v1);

    String v2 = putString(name, "two");

    assertThat(provider().currentVersionId(ref(name))).contains(v2);
    assertThat(provider().currentVersionId(ref(name).withVersion("AWSCURRENT"))).contains(v2);
    assertThat(provider().currentVersionId(ref(name).withVersion("AWSPREVIOUS"))).contains(v1);
    assertRequests("DescribeSecret", 5);
    // A version id is its own answer: no call.
    assertThat(provider().currentVersionId(ref(name).withVersion(v1))).contains(v1);
    assertRequests("DescribeSecret", 5);
  }

  @Test
  void currentVersionId_missingSecretOrStage_isNotFound() {
    String name = name("current-missing");
    putString(name, "one");

    assertThat(
            catchThrowableOfType(
                    SecretNotFoundException.class,
                    () -> provider().currentVersionId(ref(name("nope"))))
                .reason())
        .startsWith("no such secret");
    assertThat(
            catchThrowableOfType(
                    SecretNotFoundException.class,
                    () -> provider().currentVersionId(ref(name).withVersion("AWSPREVIOUS")))
                .reason())
        .isEqualTo("no version has the stage 'AWSPREVIOUS'");
  }

  @Test
  void fetchAll_fetchesCurrentVersions_andLeavesTheRestToSingleFetches() {
    String db = name("db");
    String api = name("api");
    String v1 = putString(db, "{\"user\":\"app\",\"password\":\"pw1\"}");
    putString(db, "{\"user\":\"app\",\"password\":\"pw2\"}");
    String apiVersion = putString(api, "api-key");
    SecretRef user = ref(db).withField("user");
    SecretRef password = ref(db).withField("password");
    SecretRef whole = ref(db).withVersion("AWSCURRENT");
    SecretRef key = ref(api);
    SecretRef noField = ref(api).withField("nope");
    SecretRef missing = ref(name("missing"));
    SecretRef previous = ref(db).withVersion("AWSPREVIOUS");
    SecretRef byId = ref(db).withVersion(v1);

    Map<SecretRef, SecretVersion> fetched =
        provider().fetchAll(List.of(user, password, whole, key, noField, missing, previous, byId));

    assertThat(fetched).containsOnlyKeys(user, password, whole, key);
    assertThat(text(fetched.get(user))).isEqualTo("app");
    assertThat(text(fetched.get(password))).isEqualTo("pw2");
    assertThat(text(fetched.get(whole))).isEqualTo("{\"user\":\"app\",\"password\":\"pw2\"}");
    assertThat(text(fetched.get(key))).isEqualTo("api-key");
    assertThat(fetched.get(key).versionId()).contains(apiVersion);
    assertThat(fetched.get(key).stages()).contains("AWSCURRENT");
    assertRequests("BatchGetSecretValue", 1);
    assertRequests("GetSecretValue", 0);
  }

  @Test
  void fetchAll_fiftyReferences_areAllFetchedInChunksOfTwenty() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String name = name("many-" + i);
      putString(name, "value-" + i);
      refs.add(ref(name));
    }

    Map<SecretRef, SecretVersion> fetched = provider().fetchAll(refs);

    assertThat(fetched).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(text(fetched.get(refs.get(i)))).isEqualTo("value-" + i);
    }
    assertRequests("BatchGetSecretValue", 3);
  }

  @Test
  void deletedSecret_isNotFound_andLeftOutOfBatches() {
    String name = name("deleted");
    putString(name, "{\"k\":\"v\"}");
    scheduleDeletion(name);

    SecretNotFoundException fetch =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider().fetch(ref(name)));
    SecretNotFoundException current =
        catchThrowableOfType(
            SecretNotFoundException.class, () -> provider().currentVersionId(ref(name)));

    assertThat(fetch.reason()).contains("scheduled for deletion");
    assertThat(current.reason()).contains("scheduled for deletion");
    assertThat(provider().fetchAll(List.of(ref(name), ref(name).withField("k")))).isEmpty();
  }

  @Test
  void configView_servesTheMembersOfTheConfigSecret_readOnce() {
    String name = name("app-config");
    putString(
        name, "{\"DATABASE_URL\":\"jdbc:postgresql://db/app\",\"POOL_SIZE\":10,\"DEBUG\":null}");
    Map<String, String> env = environment();
    env.put("LATCHKEY_AWS_CONFIG_SECRET", name);
    AwsSecretProvider configured = open(env);

    Optional<ConfigValue> url = configured.get("DATABASE_URL");

    assertThat(url).isPresent();
    assertThat(url.get().text()).isEqualTo("jdbc:postgresql://db/app");
    assertThat(url.get().origin()).isEqualTo(Origin.of(Origin.Kind.PROVIDER, "aws:" + name));
    assertThat(configured.get("POOL_SIZE").map(ConfigValue::text)).contains("10");
    assertThat(configured.get("DEBUG")).isEmpty();
    assertThat(configured.get("MISSING")).isEmpty();
    assertThat(configured.names()).containsExactly("DATABASE_URL", "POOL_SIZE");
    // A start-up snapshot: a new value is not seen by this provider.
    putString(name, "{\"DATABASE_URL\":\"changed\"}");
    assertThat(configured.get("DATABASE_URL").map(ConfigValue::text))
        .contains("jdbc:postgresql://db/app");
    assertRequests("GetSecretValue", 1);
  }

  @Test
  void configView_withoutAConfigSecret_isEmpty() {
    assertThat(provider().get("DATABASE_URL")).isEmpty();
    assertThat(provider().names()).isEmpty();
    assertRequests("GetSecretValue", 0);
  }

  @Test
  void configView_ofAMissingSecret_isAConfigExceptionNamingTheSetting() {
    Map<String, String> env = environment();
    env.put("LATCHKEY_AWS_CONFIG_SECRET", name("no-config"));
    AwsSecretProvider configured = open(env);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> configured.get("X"));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("LATCHKEY_AWS_CONFIG_SECRET");
    assertThat(e.problems().get(0).reason()).contains("no such secret");
  }

  @Test
  void resolver_seesRotationThroughCurrentVersionId_andTellsListeners() {
    String name = name("rotating");
    String v1 = putString(name, "{\"password\":\"one\"}");
    SecretRef ref = ref(name).withField("password");
    MutableClock clock = new MutableClock();
    List<String> changes = new CopyOnWriteArrayList<>();
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider())
            .clock(clock)
            // A read after expiry no longer waits for the refresh; run it on the reading thread
            // so that each read sees its outcome.
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .jitter(0)
            .refreshAhead(1)
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build()) {
      resolver.addListener(
          ref, (r, before, after) -> changes.add(before.orElse("?") + "->" + after.orElse("?")));

      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      clock.advance(Duration.ofMinutes(2));
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      assertRequests("GetSecretValue", 1);
      assertRequests("DescribeSecret", 1);

      String v2 = putString(name, "{\"password\":\"two\"}");
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(ref).reveal()).isEqualTo("two");
      assertThat(changes).containsExactly(v1 + "->" + v2);
      assertRequests("GetSecretValue", 2);
      assertRequests("DescribeSecret", 2);
    }
  }

  @Test
  void resolver_prefetch_goesThroughTheBatchCall() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = name("prefetch-" + i);
      putString(name, "{\"v\":\"" + i + "\"}");
      refs.add(ref(name).withField("v"));
    }
    try (SecretResolver resolver = SecretResolver.builder().provider(provider()).build()) {
      resolver.prefetch(refs);

      for (int i = 0; i < 5; i++) {
        assertThat(resolver.resolve(refs.get(i)).reveal()).isEqualTo(String.valueOf(i));
      }
    }
    assertRequests("BatchGetSecretValue", 1);
    assertRequests("GetSecretValue", 0);
  }
}
