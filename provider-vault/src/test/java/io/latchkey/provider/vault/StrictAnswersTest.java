package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every answer has the type Vault's API defines, or the answer is {@code
 * MALFORMED_RESPONSE}: a version {@code 2.7} is never read as 2, a {@code "true"} never as true.
 */
final class StrictAnswersTest {
  private static final String CANARY = "sk-canary-Zq81xWv03LmPa";
  private static final SecretRef APP = ref("vault:secret/data/app#k");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", CANARY));
    vault.putKv1("kv", "legacy", Map.of("k", CANARY));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  /** Walks down objects of an answer, for an edit. */
  private static ObjectNode at(ObjectNode root, String... names) {
    JsonNode node = root;
    for (String name : names) {
      node = node.get(name);
    }
    return (ObjectNode) node;
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        read("data.metadata.version 2.7", a -> at(a, "data", "metadata").put("version", 2.7)),
        read("data.metadata.version \"2\"", a -> at(a, "data", "metadata").put("version", "1")),
        read("data.metadata.version 1e0", a -> at(a, "data", "metadata").put("version", 1.0)),
        read("data.metadata.version null", a -> at(a, "data", "metadata").putNull("version")),
        read("data.data a string", a -> at(a, "data").put("data", "{\"k\":\"x\"}")),
        read("data.data an array", a -> at(a, "data").putArray("data").add("x")),
        read("data.metadata an array", a -> at(a, "data").putArray("metadata")),
        read("data a string", a -> a.put("data", "x")),
        read(
            "data.metadata.created_time a number",
            a -> at(a, "data", "metadata").put("created_time", 5)),
        read(
            "data.metadata.destroyed a string",
            a -> at(a, "data", "metadata").put("destroyed", "false")),
        metadata("data.current_version 1.5", a -> at(a, "data").put("current_version", 1.5)),
        metadata("data.current_version \"1\"", a -> at(a, "data").put("current_version", "1")),
        metadata("data.versions an array", a -> at(a, "data").putArray("versions")),
        metadata(
            "data.versions.1.destroyed a string",
            a -> at(a, "data", "versions", "1").put("destroyed", "no")),
        metadata(
            "data.versions.1.deletion_time a number",
            a -> at(a, "data", "versions", "1").put("deletion_time", 0)),
        metadata(
            "data.versions.1.deletion_time not a time",
            a -> at(a, "data", "versions", "1").put("deletion_time", "not-a-time")),
        metadata(
            "data.versions.1.deletion_time a forged log line",
            a ->
                at(a, "data", "versions", "1")
                    .put("deletion_time", "x\r\n2026-01-01 ERROR forged " + CANARY)),
        metadata(
            "data.versions.1.deletion_time a date without a time",
            a -> at(a, "data", "versions", "1").put("deletion_time", "2020-01-01")),
        mounts("data.options.version a number", a -> at(a, "data", "options").put("version", 2)),
        mounts("data.options.version \"3\"", a -> at(a, "data", "options").put("version", "3")),
        mounts("data.options a string", a -> at(a, "data").put("options", "version=2")),
        mounts("data.type a number", a -> at(a, "data").put("type", 1)),
        mounts("data.path a boolean", a -> at(a, "data").put("path", true)),
        kv1("data a string", a -> a.put("data", "x")),
        kv1("data an array", a -> a.set("data", NODES.arrayNode().add(CANARY))));
  }

  private static Arguments read(String what, Consumer<ObjectNode> edit) {
    return Arguments.of("KV v2 read: " + what, "/v1/secret/data/app", APP, false, edit);
  }

  private static Arguments metadata(String what, Consumer<ObjectNode> edit) {
    return Arguments.of("metadata: " + what, "/v1/secret/metadata/app", APP, true, edit);
  }

  private static Arguments mounts(String what, Consumer<ObjectNode> edit) {
    return Arguments.of("mounts: " + what, "/v1/sys/internal/ui/mounts/", APP, false, edit);
  }

  private static Arguments kv1(String what, Consumer<ObjectNode> edit) {
    return Arguments.of(
        "KV v1 read: " + what, "/v1/kv/legacy", ref("vault:kv/legacy#k"), false, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void answer_wrongTypedField_isMalformed_neverAValue(
      String name, String path, SecretRef ref, boolean versionCheck, Consumer<ObjectNode> edit) {
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider = provider(vault)) {
      vault.tamper(path, -1, edit);
      ProviderException e =
          failure(
              () -> {
                if (versionCheck) {
                  provider.currentVersionId(ref);
                } else {
                  provider.fetch(ref);
                }
              });
      assertThat(e.kind()).as(name).isEqualTo(Kind.MALFORMED_RESPONSE);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.reason()).startsWith("Vault's answer to ");
      Leaks.assertNoLeak(e, CANARY);
      vault.clearFailures();
      // The provider is not left broken: the honest answer reads.
      if (versionCheck) {
        assertThat(provider.currentVersionId(ref)).contains("1");
      } else {
        assertThat(provider.fetch(ref).value().reveal()).isEqualTo(CANARY);
      }
      Leaks.assertNoLeak("the provider's log", log.text(), CANARY);
    }
  }

  @Test
  void kv2Read_versionTwoPointSeven_namesTheMember() {
    try (VaultSecretProvider provider = provider(vault)) {
      vault.tamper("/v1/secret/data/app", 1, a -> at(a, "data", "metadata").put("version", 2.7));
      ProviderException e = failure(() -> provider.fetch(APP));
      assertThat(e.reason())
          .isEqualTo(
              "Vault's answer to the KV v2 read is not as documented: member 'version' is not an"
                  + " integer");
    }
  }

  @Test
  void metadata_deletionTimeThatIsNotATime_isMalformed_notADeletion() {
    try (VaultSecretProvider provider = provider(vault)) {
      vault.tamper(
          "/v1/secret/metadata/app",
          1,
          a -> at(a, "data", "versions", "1").put("deletion_time", "not-a-time"));
      ProviderException e = failure(() -> provider.currentVersionId(APP));
      assertThat(e.reason())
          .isEqualTo(
              "Vault's answer to the metadata read is not as documented: member 'deletion_time'"
                  + " is not an RFC 3339 time");
    }
  }

  @Test
  void metadata_deletionTimePassed_isNotFound_printingTheParsedTime() {
    try (VaultSecretProvider provider = provider(vault)) {
      vault.tamper(
          "/v1/secret/metadata/app",
          1,
          a -> at(a, "data", "versions", "1").put("deletion_time", "2020-01-02T03:04:05.5+00:00"));
      SecretNotFoundException e =
          catchThrowableOfType(SecretNotFoundException.class, () -> provider.currentVersionId(APP));
      assertThat(e.reason())
          .isEqualTo("version 1, the current one, was deleted at 2020-01-02T03:04:05.500Z");
    }
  }

  static Stream<Arguments> deletedAnswers() {
    String forged = "x\r\n2026-01-01 ERROR forged line " + CANARY;
    return Stream.of(
        Arguments.of(404, forged, "version 3 was deleted"),
        Arguments.of(404, "2020-01-02T03:04:05Z", "version 3 was deleted at 2020-01-02T03:04:05Z"),
        Arguments.of(200, forged, "version 3 was deleted"),
        Arguments.of(
            200,
            "2020-01-02T03:04:05.123456789Z",
            "version 3 was deleted at 2020-01-02T03:04:05.123456789Z"));
  }

  @ParameterizedTest(name = "HTTP {0}: {2}")
  @MethodSource("deletedAnswers")
  void deletedVersion_deletionTime_isPrintedAsParsed_orNotAtAll(
      int status, String deletionTime, String reason) {
    ObjectNode answer = NODES.objectNode();
    ObjectNode data = answer.putObject("data");
    data.putNull("data");
    ObjectNode metadata = data.putObject("metadata");
    metadata.put("version", 3);
    metadata.put("created_time", "2020-01-01T00:00:00Z");
    metadata.put("deletion_time", deletionTime);
    metadata.put("destroyed", false);
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider = provider(vault)) {
      vault.failWith("/v1/secret/data/app", status, answer.toString(), 1);
      SecretNotFoundException e =
          catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(APP));
      assertThat(e.reason()).isEqualTo(reason);
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the provider's log", log.text(), CANARY);
    }
  }

  @Test
  void mountOfAnUnknownEngineType_isNotNamed_inTheFailureOrTheLog() {
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider = provider(vault)) {
      vault.tamper(
          "/v1/sys/internal/ui/mounts/",
          -1,
          a -> at(a, "data").put("type", "x\r\n2026-01-01 ERROR forged " + CANARY));
      ProviderException e = failure(() -> provider.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
      assertThat(e.reason())
          .isEqualTo(
              "mount 'secret/' is a secrets engine of another type; the vault provider reads kv"
                  + " (versions 1 and 2)");
      assertThat(log.text()).contains("mount 'secret/' is a secrets engine of another type");
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the provider's log", log.text(), CANARY);
      assertThat(log.text()).doesNotContain("forged");
    }
  }

  static Stream<Arguments> wrongLogins() {
    return Stream.<Arguments>of(
        login("auth.client_token a number", a -> at(a, "auth").put("client_token", 123)),
        login("auth.client_token empty", a -> at(a, "auth").put("client_token", "")),
        login("auth.lease_duration 1.5", a -> at(a, "auth").put("lease_duration", 1.5)),
        login("auth.lease_duration \"3600\"", a -> at(a, "auth").put("lease_duration", "3600")),
        login("auth.renewable \"true\"", a -> at(a, "auth").put("renewable", "true")),
        login("auth.renewable absent", a -> at(a, "auth").remove("renewable")),
        login("auth an array", a -> a.putArray("auth")));
  }

  private static Arguments login(String what, Consumer<ObjectNode> edit) {
    return Arguments.of(what, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongLogins")
  void login_wrongTypedField_isMalformed_andNoReadIsMade(String name, Consumer<ObjectNode> edit) {
    vault.policy("reader", "secret/data/app");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "reader");
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider =
            provider(
                vault,
                Map.of(
                    "VAULT_AUTH_METHOD", "approle",
                    "VAULT_ROLE_ID", role.roleId(),
                    "VAULT_SECRET_ID", role.secretId()))) {
      vault.tamper("/v1/auth/approle/login", -1, edit);
      ProviderException e = failure(() -> provider.fetch(APP));
      assertThat(e.kind()).as(name).isEqualTo(Kind.MALFORMED_RESPONSE);
      assertThat(vault.requests("/v1/secret/data/")).isZero();
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak(e, role.secretId());
      Leaks.assertNoLeak("the provider's log", log.text(), role.secretId());
    }
  }

  static Stream<Arguments> wrongLookUps() {
    return Stream.<Arguments>of(
        login("data.ttl 1.5", a -> at(a, "data").put("ttl", 1.5)),
        login("data.ttl \"3600\"", a -> at(a, "data").put("ttl", "3600")),
        login("data.ttl negative", a -> at(a, "data").put("ttl", -1)),
        login("data.ttl absent", a -> at(a, "data").remove("ttl")),
        login("data.creation_ttl a string", a -> at(a, "data").put("creation_ttl", "1h")),
        login("data.renewable \"true\"", a -> at(a, "data").put("renewable", "true")),
        login("data an array", a -> a.putArray("data")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongLookUps")
  void tokenLookUp_wrongTypedField_learnsNoLease_andIsAskedAgainLater(
      String name, Consumer<ObjectNode> edit) {
    vault.policy("reader", "secret/data/app", "secret/metadata/app");
    String token = vault.createToken(Duration.ofHours(1), Duration.ZERO, true, "reader");
    MutableClock clock = new MutableClock();
    ManualScheduler renewals = new ManualScheduler(clock);
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider =
            VaultSecretProvider.builder()
                .address(vault.address())
                .token(Secret.of(token))
                .clock(clock)
                .renewalScheduler(renewals)
                .build()) {
      vault.tamper("/v1/auth/token/lookup-self", 1, edit);
      assertThat(provider.fetch(APP).value().reveal()).as(name).isEqualTo(CANARY);
      renewals.runDue();
      assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(1);
      assertThat(renewals.scheduled()).as("only the next look-up, no renewal").isEqualTo(1);
      assertThat(log.text()).contains("looking up the token failed (malformed response)");
      assertThat(provider.fetch(APP).value().reveal()).isEqualTo(CANARY);
      clock.advance(Duration.ofSeconds(11));
      renewals.runDue();
      assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(2);
      assertThat(renewals.scheduled()).as("the honest answer plans the renewal").isEqualTo(1);
    }
  }

  static Stream<Arguments> wrongRenewals() {
    return Stream.<Arguments>of(
        login("auth.lease_duration 1.5", a -> at(a, "auth").put("lease_duration", 1.5)),
        login("auth.lease_duration negative", a -> at(a, "auth").put("lease_duration", -5)),
        login("auth.renewable 1", a -> at(a, "auth").put("renewable", 1)),
        login("auth null", a -> a.putNull("auth")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongRenewals")
  void renewal_wrongTypedField_isNotTrusted_andTheProviderLogsInAgain(
      String name, Consumer<ObjectNode> edit) {
    vault.policy("reader", "secret/data/app");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ZERO, true, "reader");
    MutableClock clock = new MutableClock();
    ManualScheduler renewals = new ManualScheduler(clock);
    Map<String, String> env = new HashMap<>(vault.environment());
    env.remove("VAULT_TOKEN");
    env.putAll(
        Map.of(
            "VAULT_AUTH_METHOD", "approle",
            "VAULT_ROLE_ID", role.roleId(),
            "VAULT_SECRET_ID", role.secretId()));
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider =
            VaultSettings.builder(env).clock(clock).renewalScheduler(renewals).build()) {
      assertThat(provider.fetch(APP).value().reveal()).isEqualTo(CANARY);
      vault.tamper("/v1/auth/token/renew-self", 1, edit);
      clock.advance(Duration.ofMinutes(20));
      vault.advance(Duration.ofMinutes(20));
      renewals.runDue();
      assertThat(log.text())
          .as(name)
          .contains("renewing the token failed (malformed response); logging in again");
      assertThat(vault.requests("/v1/auth/approle/login")).isEqualTo(2);
      assertThat(provider.fetch(APP).value().reveal()).isEqualTo(CANARY);
      Leaks.assertNoLeak("the provider's log", log.text(), role.secretId());
    }
  }
}
