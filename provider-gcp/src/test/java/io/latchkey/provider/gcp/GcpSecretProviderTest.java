package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetching, versions, aliases, fields and checksums, over gRPC against the loopback server. */
final class GcpSecretProviderTest {
  private FakeSecretManager gcp;
  private GcpSecretProvider provider;

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
    provider = GcpSecretProvider.fromEnvironment(gcp.environment());
  }

  @AfterEach
  void stop() {
    provider.close();
    gcp.close();
  }

  private SecretVersion fetch(String ref) {
    return provider.fetch(SecretRef.parse(ref));
  }

  private String value(String ref) {
    return fetch(ref).value().reveal();
  }

  @Test
  void fetch_bareSecretId_readsTheLatestVersionInTheDefaultProject() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));

    SecretVersion version = fetch("gcp:db");

    assertThat(version.value().reveal()).isEqualTo("two");
    assertThat(version.versionId()).contains("2");
    assertThat(version.stages()).containsExactly("latest");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
  }

  @Test
  void fetch_fullSecretName_readsTheLatestVersion() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));

    assertThat(value("gcp:projects/test-project/secrets/db")).isEqualTo("two");
  }

  @Test
  void fetch_fullVersionName_readsThatVersion_withoutStages() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));

    SecretVersion version = fetch("gcp:projects/test-project/secrets/db/versions/1");

    assertThat(version.value().reveal()).isEqualTo("one");
    assertThat(version.versionId()).contains("1");
    assertThat(version.stages()).isEmpty();
  }

  @Test
  void fetch_versionAfterAt_readsThatVersion() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));

    assertThat(value("gcp:db@1")).isEqualTo("one");
    assertThat(value("gcp:projects/test-project/secrets/db@1")).isEqualTo("one");
    assertThat(value("gcp:db@latest")).isEqualTo("two");
  }

  @Test
  void fetch_sameVersionInPathAndAfterAt_isAccepted() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));

    assertThat(value("gcp:projects/test-project/secrets/db/versions/1@1")).isEqualTo("one");
  }

  @Test
  void fetch_differentVersionsInPathAndAfterAt_isAnError_withoutACall() {
    gcp.addVersion("db", utf8("one"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> fetch("gcp:projects/test-project/secrets/db/versions/1@2"));

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER);
    assertThat(e.getMessage())
        .isEqualTo(
            "secret gcp:projects/test-project/secrets/db/versions/1@2: other: invalid reference:"
                + " the path asks for version '1' and '@' for version '2'; give the version once");
    assertThat(gcp.requests("AccessSecretVersion")).isZero();
  }

  @Test
  void fetch_alias_isResolvedByTheService_andReportsTheNumberAndTheAlias() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));
    gcp.alias("db", "prod", 1);

    SecretVersion version = fetch("gcp:db@prod");

    assertThat(version.value().reveal()).isEqualTo("one");
    assertThat(version.versionId()).contains("1");
    assertThat(version.stages()).containsExactly("prod");
    assertThat(value("gcp:projects/test-project/secrets/db/versions/prod")).isEqualTo("one");
  }

  @Test
  void fetch_unknownAlias_isNotFound() {
    gcp.addVersion("db", utf8("one"));

    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db@staging"));

    assertThat(e.getMessage())
        .isEqualTo("secret gcp:db@staging: no such secret or version (NOT_FOUND)");
  }

  @Test
  void fetch_projectGivenByNumber_andAnotherProject_work() {
    gcp.addVersion("db", utf8("default"));
    gcp.addVersion("other-project", "db", utf8("other"));

    assertThat(value("gcp:projects/123456789012/secrets/db")).isEqualTo("default");
    assertThat(value("gcp:projects/other-project/secrets/db")).isEqualTo("other");
    assertThat(fetch("gcp:projects/other-project/secrets/db").versionId()).contains("1");
  }

  @Test
  void fetch_regionalSecret_usesItsLocationName() {
    gcp.addRegionalVersion("europe-west1", "db", utf8("regional"));

    assertThat(value("gcp:projects/test-project/locations/europe-west1/secrets/db"))
        .isEqualTo("regional");
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db")))
        .isNotNull();
  }

  @Test
  void fetch_binaryValue_keepsEveryByte() {
    byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 0x28, 10, 13};
    gcp.addVersion("key", binary);

    assertThat(fetch("gcp:key").value().revealBytes()).isEqualTo(binary);
  }

  @Test
  void fetch_emptyValue_isReturned() {
    gcp.addVersion("empty", new byte[0]);

    assertThat(fetch("gcp:empty").value().isEmpty()).isTrue();
  }

  @Test
  void fetch_stampsTheFetchTimeFromTheClock() {
    gcp.addVersion("db", utf8("one"));
    Instant now = Instant.parse("2026-11-23T10:15:30Z");
    try (GcpSecretProvider clocked =
        GcpSecretProvider.builder()
            .endpoint(gcp.target())
            .plaintext(true)
            .project(gcp.project())
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .build()) {
      assertThat(clocked.fetch(SecretRef.parse("gcp:db")).fetchedAt()).isEqualTo(now);
    }
  }

  @Test
  void field_stringMember_isReturnedAsItIs_otherValuesAsJsonText_nullIsAbsent() {
    gcp.addVersion(
        "db",
        utf8(
            "{\"user\":\"app\",\"password\":\"p\\\"w\",\"port\":5432,\"tls\":true,"
                + "\"opts\":{\"a\":[1,2]},\"none\":null}"));

    assertThat(value("gcp:db#user")).isEqualTo("app");
    assertThat(value("gcp:db#password")).isEqualTo("p\"w");
    assertThat(value("gcp:db#port")).isEqualTo("5432");
    assertThat(value("gcp:db#tls")).isEqualTo("true");
    assertThat(value("gcp:db#opts")).isEqualTo("{\"a\":[1,2]}");
    // JsonValue's one rule, shared by every provider: a null member is a field that is not there.
    SecretNotFoundException none =
        catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db#none"));
    assertThat(none.reason()).isEqualTo("no field 'none' in the secret's JSON object");
  }

  @Test
  void field_ofAVersion_readsThatVersionsObject() {
    gcp.addVersion("db", utf8("{\"password\":\"old\"}"));
    gcp.addVersion("db", utf8("{\"password\":\"new\"}"));

    SecretVersion version = fetch("gcp:db@1#password");

    assertThat(version.value().reveal()).isEqualTo("old");
    assertThat(version.versionId()).contains("1");
  }

  @Test
  void field_missing_isNotFound() {
    gcp.addVersion("db", utf8("{\"user\":\"app\"}"));

    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db#password"));

    assertThat(e.reason()).isEqualTo("no field 'password' in the secret's JSON object");
  }

  @Test
  void field_ofAValueThatIsNotAJsonObject_isNotFound_withoutQuotingIt() {
    gcp.addVersion("plain", utf8("hunter2"));
    gcp.addVersion("array", utf8("[\"hunter2\"]"));
    gcp.addVersion("string", utf8("\"hunter2\""));
    gcp.addVersion("trailing", utf8("{\"a\":\"hunter2\"} x"));
    // I-JSON, as JsonValue reads it: a member named twice makes the value ambiguous.
    gcp.addVersion("twice", utf8("{\"a\":\"x\",\"a\":\"hunter2\"}"));
    gcp.addVersion("latin1", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'});

    for (String secret : new String[] {"plain", "array", "string", "trailing", "twice", "latin1"}) {
      SecretNotFoundException e =
          catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:" + secret + "#a"));
      assertThat(e.reason())
          .as(secret)
          .isEqualTo("the secret is not a JSON object, so it has no field 'a'");
      assertThat(e.getMessage()).doesNotContain("hunter2");
    }
  }

  @Test
  void checksum_mismatch_isMalformed() {
    gcp.addVersion("db", utf8("value"));
    gcp.corruptChecksums(true);

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> fetch("gcp:db"));

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.MALFORMED_RESPONSE);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.reason()).startsWith("checksum mismatch");
  }

  @Test
  void checksum_missing_isAccepted() {
    gcp.addVersion("old", utf8("written before checksums"));
    gcp.omitChecksums(true);

    assertThat(value("gcp:old")).isEqualTo("written before checksums");
  }

  @Test
  void notFound_secretOrVersion_isSecretNotFound() {
    gcp.addVersion("db", utf8("one"));

    assertThat(
            catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:nope")).reason())
        .isEqualTo("no such secret or version (NOT_FOUND)");
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db@7")).ref())
        .isEqualTo(SecretRef.parse("gcp:db@7"));
    assertThat(
            catchThrowableOfType(
                SecretNotFoundException.class, () -> fetch("gcp:projects/elsewhere/secrets/db")))
        .isNotNull();
  }

  @Test
  void disabledOrDestroyedVersion_isSecretNotFound_andEnablingBringsItBack() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));
    gcp.disableVersion("db", 2);
    gcp.destroyVersion("db", 1);

    SecretNotFoundException latest =
        catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db"));
    SecretNotFoundException destroyed =
        catchThrowableOfType(SecretNotFoundException.class, () -> fetch("gcp:db@1"));

    assertThat(latest.reason())
        .isEqualTo("the version is not enabled (disabled or destroyed) (FAILED_PRECONDITION)");
    assertThat(destroyed.reason()).isEqualTo(latest.reason());
    gcp.enableVersion("db", 2);
    assertThat(value("gcp:db")).isEqualTo("two");
  }

  @Test
  void invalidReferences_areRejectedWithoutACall() {
    Map<String, String> cases =
        Map.of(
            "gcp:a/b",
            "the path is neither a secret id nor projects/P/secrets/S[/versions/V] (optionally"
                + " with /locations/L after the project)",
            "gcp:projects/p/secrets/db/versions/1/extra",
            "the path is neither a secret id nor projects/P/secrets/S[/versions/V] (optionally"
                + " with /locations/L after the project)",
            "gcp:bad.secret",
            "the secret id must be 1 to 255 letters, digits, '-' or '_' (Secret Manager's rule)",
            "gcp:db@0",
            "the version must be 'latest', a version number (1, 2, ...) or an alias (a letter,"
                + " then letters, digits, '-' or '_')",
            "gcp:db@1.5",
            "the version must be 'latest', a version number (1, 2, ...) or an alias (a letter,"
                + " then letters, digits, '-' or '_')",
            "gcp:projects/p%20q/secrets/db",
            "the project is not a project id or number",
            "gcp:projects/p/locations/EU/secrets/db",
            "the location is not a location id such as us-central1");
    cases.forEach(
        (ref, reason) -> {
          ProviderException e = catchThrowableOfType(ProviderException.class, () -> fetch(ref));
          assertThat(e.kind()).as(ref).isEqualTo(ProviderException.Kind.OTHER);
          assertThat(e.reason()).as(ref).isEqualTo("invalid reference: " + reason);
        });
    assertThat(gcp.requests("AccessSecretVersion")).isZero();
  }

  @Test
  void bareSecretId_withoutADefaultProject_saysHowToFixIt() {
    try (GcpSecretProvider noProject =
        GcpSecretProvider.builder().endpoint(gcp.target()).plaintext(true).build()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> noProject.fetch(SecretRef.parse("gcp:db")));

      assertThat(e.reason())
          .isEqualTo(
              "invalid reference: a bare secret id needs a default project: set"
                  + " GOOGLE_CLOUD_PROJECT, or write projects/PROJECT/secrets/db");
      gcp.addVersion("db", utf8("one"));
      assertThat(noProject.fetch(SecretRef.parse("gcp:projects/test-project/secrets/db")))
          .extracting(v -> v.value().reveal())
          .isEqualTo("one");
    }
  }

  @Test
  void currentVersionId_resolvesLatestWithMetadataOnly() {
    gcp.addVersion("db", utf8("one"));
    SecretRef ref = SecretRef.parse("gcp:db#password");

    assertThat(provider.currentVersionId(ref)).contains("1");
    gcp.addVersion("db", utf8("two"));
    assertThat(provider.currentVersionId(ref)).contains("2");

    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);
    assertThat(gcp.requests("AccessSecretVersion")).isZero();
  }

  @Test
  void currentVersionId_ofANumberOrAlias_isThatVersionsNumber() {
    gcp.addVersion("db", utf8("one"));
    gcp.addVersion("db", utf8("two"));
    gcp.alias("db", "prod", 1);

    assertThat(provider.currentVersionId(SecretRef.parse("gcp:db@1"))).contains("1");
    assertThat(provider.currentVersionId(SecretRef.parse("gcp:db@prod"))).contains("1");
    gcp.alias("db", "prod", 2);
    assertThat(provider.currentVersionId(SecretRef.parse("gcp:db@prod"))).contains("2");
  }

  @Test
  void currentVersionId_ofADisabledVersion_isNotFound_soACachedValueIsNotKept() {
    gcp.addVersion("db", utf8("one"));
    gcp.disableVersion("db", 1);

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.currentVersionId(SecretRef.parse("gcp:db")));

    assertThat(e.reason()).isEqualTo("version 1 is DISABLED, not ENABLED");
  }

  @Test
  void currentVersionId_ofAMissingSecret_isNotFound() {
    assertThat(
            catchThrowableOfType(
                SecretNotFoundException.class,
                () -> provider.currentVersionId(SecretRef.parse("gcp:nope"))))
        .isNotNull();
  }

  @Test
  void currentVersionId_withoutMetadataPermission_isUnknown_andNotAskedAgain() {
    gcp.addVersion("db", utf8("one"));
    gcp.failMethod("GetSecretVersion", FakeSecretManager.Failure.PERMISSION_DENIED);
    SecretRef ref = SecretRef.parse("gcp:db");

    assertThat(provider.currentVersionId(ref)).isEqualTo(Optional.empty());
    assertThat(provider.currentVersionId(ref.withField("x"))).isEqualTo(Optional.empty());

    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(1);
    assertThat(value("gcp:db")).isEqualTo("one");
  }

  @Test
  void fetchAll_sendsOneAccessCallPerReference() {
    gcp.addVersion("db", utf8("one"));

    SecretRef db = SecretRef.parse("gcp:db");
    assertThat(provider.fetchAll(Set.of(db)).get(db).value().reveal()).isEqualTo("one");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
  }

  @Test
  void nameAndDescription_sayWhatTheProviderIs() {
    assertThat(provider.name()).isEqualTo("gcp");
    assertThat(provider.description())
        .isEqualTo("GCP Secret Manager (" + gcp.target() + ", plaintext, project test-project)");
    assertThat(provider.toString()).isEqualTo("GcpSecretProvider[" + provider.description() + "]");
  }

  @Test
  void closedProvider_refusesCalls_andCloseIsIdempotent() {
    gcp.addVersion("db", utf8("one"));
    provider.close();
    provider.close();

    assertThat(
            catchThrowableOfType(IllegalStateException.class, () -> fetch("gcp:db")).getMessage())
        .isEqualTo("the gcp secret provider is closed");
    assertThat(
            catchThrowableOfType(
                IllegalStateException.class,
                () -> provider.currentVersionId(SecretRef.parse("gcp:db"))))
        .isNotNull();
  }
}
