package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.provider.aws.KeyChain.Verdict;
import io.latchkey.provider.aws.KeySource.KeysUnavailable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The credentials chain: each step of the SDK's default chain, their order, the profile files as
 * the SDK reads them, the cases left to the SDK, and that no key, token or path is ever printed.
 */
final class KeyChainTest {
  // Canaries: none may appear in a reason, a description or a toString.
  private static final String ID = "AKIACANARYKEYID00001";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/CANARYsecretKEY01";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/CANARYsessionTOKEN+01==";
  private static final String OTHER_ID = "AKIACANARYOTHERID002";
  private static final String OTHER_SECRET = "otherCANARYsecretKEY/0000000000000000002";
  private static final String CONTAINER_TOKEN = "CANARYcontainerAuthorizationToken0003";
  private static final String ROLE = "arn:aws:iam::123456789012:role/CANARYrole";

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path home;

  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();
  private final Recorder http = new Recorder();
  private final List<String> canaries =
      new ArrayList<>(
          List.of(ID, SECRET, TOKEN, OTHER_ID, OTHER_SECRET, CONTAINER_TOKEN, ROLE, "CANARY"));
  private String region = "eu-west-1";

  @BeforeEach
  void paths() {
    canaries.add(home.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** What the chain asked the HTTP sources for. */
  private record Recorded(String kind, List<Object> args) implements KeySource {
    @Override
    public AwsKeys keys(long deadline) throws KeysUnavailable {
      throw new KeysUnavailable("recorded");
    }

    @Override
    public String description() {
      return kind;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "Recorded[" + kind + "]";
    }
  }

  private static class Recorder implements KeyChain.HttpSources {
    @Override
    public KeySource webIdentity(
        URI stsEndpoint, String region, Path tokenFile, String roleArn, String sessionName) {
      return new Recorded(
          "web identity", List.of(stsEndpoint, region, tokenFile, roleArn, sessionName));
    }

    @Override
    public KeySource container(URI uri, Path authorizationTokenFile, String authorizationToken) {
      List<Object> args = new ArrayList<>();
      args.add(uri);
      args.add(authorizationTokenFile);
      args.add(authorizationToken);
      return new Recorded("container", args);
    }

    @Override
    public KeySource instance(URI endpoint) {
      return new Recorded("instance", List.of(endpoint));
    }
  }

  /** Walks the chain, and checks that nothing it prints quotes a value. */
  private Verdict verdict() {
    if (region != null) {
      // Web identity's STS region comes from the SDK's region chain: AWS_REGION first.
      env.putIfAbsent("AWS_REGION", region);
    }
    Verdict v = KeyChain.resolve(env, props, home, CLOCK, http);
    List<String> printed = new ArrayList<>();
    printed.add(v.toString());
    if (v.sdkReason() != null) {
      printed.add(v.sdkReason());
    } else {
      printed.add(v.source().description());
      printed.add(v.source().toString());
    }
    for (String text : printed) {
      for (String canary : canaries) {
        assertThat(text).as("printed text").doesNotContain(canary);
      }
    }
    return v;
  }

  private String reason() {
    Verdict v = verdict();
    assertThat(v.source()).as("source").isNull();
    return v.sdkReason();
  }

  /**
   * The reason every call fails when a setting of the chain looks like a pasted secret, which the
   * SDK, reading it too, would quote.
   */
  private String refusal() {
    Verdict v = verdict();
    assertThat(v.sdkReason()).as("reason").isNull();
    Throwable refused = catchThrowable(() -> v.source().keys(Long.MAX_VALUE));
    assertThat(refused).isInstanceOf(KeysUnavailable.class);
    return refused.getMessage();
  }

  private AwsKeys staticKeys() throws Exception {
    Verdict v = verdict();
    assertThat(v.sdkReason()).as("reason").isNull();
    assertThat(v.source()).isInstanceOf(StaticKeys.class);
    return ((StaticKeys) v.source()).keys(0L);
  }

  private Recorded recorded(String kind) {
    Verdict v = verdict();
    assertThat(v.sdkReason()).as("reason").isNull();
    assertThat(v.source()).isInstanceOf(Recorded.class);
    Recorded r = (Recorded) v.source();
    assertThat(r.kind()).isEqualTo(kind);
    return r;
  }

  private Path write(String name, String text) throws IOException {
    Path path = home.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text, UTF_8);
    return path;
  }

  private Path credentialsFile(String text) throws IOException {
    return write(".aws/credentials", text);
  }

  private Path configFile(String text) throws IOException {
    return write(".aws/config", text);
  }

  private static String keysProfile(String title, String id, String secret) {
    return title + "\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n";
  }

  private void envKeys(String id, String secret) {
    env.put("AWS_ACCESS_KEY_ID", id);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
  }

  private void webIdentity() throws IOException {
    Path token = write("token", "a.jwt.CANARY");
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
    env.put("AWS_ROLE_ARN", ROLE);
  }

  // ---------------------------------------------------------------------------------------------
  // The verdict

  @Test
  void aVerdict_hasASourceOrAReason_notBothNorNeither() {
    StaticKeys keys = new StaticKeys(new AwsKeys(ID, SECRET, null, null), "test");
    assertThatThrownBy(() -> new Verdict(null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Verdict(keys, "why")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Verdict(keys, null).source()).isSameAs(keys);
    assertThat(new Verdict(null, "why").sdkReason()).isEqualTo("why");
  }

  @Test
  void staticKeys_returnTheirKeys_andPrintNoneOfThem() throws Exception {
    AwsKeys keys = new AwsKeys(ID, SECRET, TOKEN, null);
    StaticKeys source = new StaticKeys(keys, "the test's keys");
    assertThat(source.keys(0L)).isSameAs(keys);
    assertThat(source.keys(Long.MIN_VALUE)).isSameAs(keys);
    source.close();
    source.close();
    assertThat(source.keys(0L)).isSameAs(keys);
    assertThat(source.description()).isEqualTo("the test's keys");
    assertThat(source.toString()).doesNotContain(ID, SECRET, TOKEN).contains("the test's keys");
  }

  // ---------------------------------------------------------------------------------------------
  // 1 and 2: system properties, then environment variables

  @Test
  void keys_systemProperties_comeFirst() throws Exception {
    props.put("aws.accessKeyId", ID);
    props.put("aws.secretAccessKey", SECRET);
    props.put("aws.sessionToken", TOKEN);
    envKeys(OTHER_ID, OTHER_SECRET);

    Verdict v = verdict();
    AwsKeys keys = ((StaticKeys) v.source()).keys(0L);

    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isEqualTo(TOKEN);
    assertThat(keys.expiration()).isNull();
    assertThat(v.source().description())
        .contains("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken");
  }

  @Test
  void keys_halfAPairOfSystemProperties_fallsToTheEnvironment() throws Exception {
    props.put("aws.accessKeyId", ID);
    envKeys(OTHER_ID, OTHER_SECRET);

    assertThat(staticKeys().accessKeyId()).isEqualTo(OTHER_ID);
  }

  @Test
  void keys_theVersion1PropertyAwsSecretKey_isNotRead() throws Exception {
    // SDK v2 reads aws.secretAccessKey only.
    props.put("aws.accessKeyId", ID);
    props.put("aws.secretKey", SECRET);
    envKeys(OTHER_ID, OTHER_SECRET);

    assertThat(staticKeys().accessKeyId()).isEqualTo(OTHER_ID);
  }

  @Test
  void keys_theEnvironment_withAndWithoutASessionToken() throws Exception {
    envKeys(ID, SECRET);
    AwsKeys longTerm = staticKeys();
    assertThat(longTerm.accessKeyId()).isEqualTo(ID);
    assertThat(longTerm.secretAccessKey()).isEqualTo(SECRET);
    assertThat(longTerm.sessionToken()).isNull();

    env.put("AWS_SESSION_TOKEN", TOKEN);
    Verdict v = verdict();
    assertThat(((StaticKeys) v.source()).keys(0L).sessionToken()).isEqualTo(TOKEN);
    assertThat(v.source().description())
        .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
  }

  @Test
  void keys_theEnvironment_beatsEveryLaterStep() throws Exception {
    envKeys(ID, SECRET);
    webIdentity();
    credentialsFile(keysProfile("[default]", OTHER_ID, OTHER_SECRET));
    env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void keys_valuesAreTrimmed() throws Exception {
    envKeys("  " + ID + "\t", " " + SECRET + " ");
    env.put("AWS_SESSION_TOKEN", " " + TOKEN + "\n");

    AwsKeys keys = staticKeys();
    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isEqualTo(TOKEN);
  }

  @Test
  void keys_blankValues_countAsUnset() throws Exception {
    props.put("aws.accessKeyId", " ");
    props.put("aws.secretAccessKey", SECRET);
    envKeys(ID, SECRET);
    env.put("AWS_SESSION_TOKEN", "  ");

    AwsKeys keys = staticKeys();
    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.sessionToken()).isNull();
  }

  @Test
  void keys_halfAPairInTheEnvironment_goesOnDownTheChain() {
    env.put("AWS_ACCESS_KEY_ID", ID);
    env.put("AWS_SESSION_TOKEN", TOKEN);

    recorded("instance");
  }

  @Test
  void keys_aKeyWithALineBreak_isLeftToTheSdk_namingTheVariable() {
    envKeys(ID, "wJalrXUtnFEMI/CANARY\nsecond-line");

    assertThat(reason()).contains("AWS_SECRET_ACCESS_KEY");
  }

  // ---------------------------------------------------------------------------------------------
  // 3: web identity

  @Test
  void webIdentity_theTokenFileAndRole_goToStsInTheRegion() throws Exception {
    webIdentity();
    credentialsFile(keysProfile("[default]", ID, SECRET));

    Recorded r = recorded("web identity");

    assertThat(r.args())
        .containsExactly(
            URI.create("https://sts.eu-west-1.amazonaws.com"),
            "eu-west-1",
            home.resolve("token"),
            ROLE,
            "aws-sdk-java-" + CLOCK.millis());
  }

  @Test
  void webIdentity_systemProperties_andASessionName() throws Exception {
    Path token = write("other-token", "jwt");
    props.put("aws.webIdentityTokenFile", token.toString());
    props.put("aws.roleArn", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", home.resolve("missing").toString());
    env.put("AWS_ROLE_SESSION_NAME", "  my-session ");

    Recorded r = recorded("web identity");

    assertThat(r.args().get(2)).isEqualTo(token);
    assertThat(r.args().get(4)).isEqualTo("my-session");
  }

  @Test
  void webIdentity_chinaRegions_useTheirDomain() throws Exception {
    webIdentity();
    region = "cn-north-1";

    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn"));
  }

  @Test
  void webIdentity_endpointOverrides_inTheSdksOrder() throws Exception {
    webIdentity();
    env.put("AWS_ENDPOINT_URL", "https://global.example.test");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://global.example.test"));

    env.put("AWS_ENDPOINT_URL_STS", "https://sts.example.test");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.example.test"));

    // System properties come before any variable, the global one included.
    props.put("aws.endpointUrl", "http://127.0.0.1:4566");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("http://127.0.0.1:4566"));

    props.put("aws.endpointUrlSts", "http://127.0.0.1:4567");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("http://127.0.0.1:4567"));

    env.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.eu-west-1.amazonaws.com"));
  }

  @Test
  void webIdentity_theProfilesEndpoint_andItsServicesSection() throws Exception {
    webIdentity();
    configFile("[default]\nendpoint_url = https://any.example.test\n");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://any.example.test"));

    configFile(
        "[default]\n"
            + "endpoint_url = https://any.example.test\n"
            + "services = mine\n"
            + "[services mine]\n"
            + "sts =\n"
            + "  endpoint_url = https://sts.example.test\n");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.example.test"));
  }

  @Test
  void webIdentity_fipsOrDualStack_isLeftToTheSdk() throws Exception {
    webIdentity();
    env.put("AWS_USE_FIPS_ENDPOINT", "true");
    assertThat(reason()).contains("FIPS");

    env.remove("AWS_USE_FIPS_ENDPOINT");
    configFile("[default]\nuse_dualstack_endpoint = true\n");
    assertThat(reason()).contains("dual-stack");

    configFile("[default]\nuse_dualstack_endpoint = maybe\n");
    assertThat(reason()).contains("use_dualstack_endpoint").doesNotContain("maybe");
  }

  @Test
  void webIdentity_withoutARegion_callsStsGlobalEndpoint_outsideTheKnownPartitions_isLeftToTheSdk()
      throws Exception {
    webIdentity();
    region = null;
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.amazonaws.com"));

    region = "xx-mars-1";
    assertThat(reason()).contains("partition");
  }

  @Test
  void webIdentity_takesStsRegion_fromTheRegionChain_notFromTheSecretsRegion() throws Exception {
    webIdentity();
    region = null;
    configFile("[default]\nregion = ap-south-1\n");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.ap-south-1.amazonaws.com"));

    env.put("AWS_REGION", "eu-central-1");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.eu-central-1.amazonaws.com"));

    props.put("aws.region", "us-west-2");
    assertThat(recorded("web identity").args().get(0))
        .isEqualTo(URI.create("https://sts.us-west-2.amazonaws.com"));
  }

  @Test
  void webIdentity_aTokenFileThatIsNotThere_isLeftToTheSdk_namingTheVariable() throws Exception {
    webIdentity();
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", home.resolve("CANARY-missing").toString());

    assertThat(reason()).contains("AWS_WEB_IDENTITY_TOKEN_FILE");

    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", home.toString());
    assertThat(reason()).contains("AWS_WEB_IDENTITY_TOKEN_FILE");
  }

  @Test
  void webIdentity_theTokenFileWithoutARole_goesOnToTheProfile() throws Exception {
    webIdentity();
    env.remove("AWS_ROLE_ARN");
    credentialsFile(keysProfile("[default]", ID, SECRET));

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void webIdentity_anUnusableEndpointOverride_isLeftToTheSdk() throws Exception {
    webIdentity();
    env.put("AWS_ENDPOINT_URL_STS", "ftp://CANARY.example.test/");
    assertThat(reason()).contains("AWS_ENDPOINT_URL_STS");

    // A blank in it, as pasted JSON or PEM text has: refused rather than handed to the SDK.
    env.put("AWS_ENDPOINT_URL_STS", "http://CANARY example");
    assertThat(refusal())
        .isEqualTo(
            "AWS_ENDPOINT_URL_STS looks like a secret's value, not a URL (not shown, in case it is"
                + " one)");
  }

  // ---------------------------------------------------------------------------------------------
  // 4: the shared profile files

  @Test
  void profile_theDefaultProfile_inTheCredentialsFile() throws Exception {
    credentialsFile(keysProfile("[default]", ID, SECRET));

    Verdict v = verdict();
    AwsKeys keys = ((StaticKeys) v.source()).keys(0L);

    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isNull();
    assertThat(v.source().description()).contains("default profile");
  }

  @Test
  void profile_theDefaultProfile_inTheConfigFile() throws Exception {
    configFile(keysProfile("[default]", ID, SECRET));

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_aNamedProfile_isTitledWithProfileInTheConfigFile_only() throws Exception {
    env.put("AWS_PROFILE", "work");
    configFile(keysProfile("[work]", OTHER_ID, OTHER_SECRET));
    // [work] in a config file is not a profile: the SDK ignores it and goes on.
    recorded("instance");

    configFile(keysProfile("[profile work]", ID, SECRET));
    Verdict v = verdict();
    assertThat(((StaticKeys) v.source()).keys(0L).accessKeyId()).isEqualTo(ID);
    assertThat(v.source().description()).contains("AWS_PROFILE").doesNotContain("work");

    // And [profile work] in a credentials file is no profile either.
    Files.delete(home.resolve(".aws/config"));
    credentialsFile(keysProfile("[profile work]", OTHER_ID, OTHER_SECRET));
    recorded("instance");
  }

  @Test
  void profile_theProfileProperty_beatsTheVariable() throws Exception {
    env.put("AWS_PROFILE", "one");
    props.put("aws.profile", "two");
    credentialsFile(
        keysProfile("[one]", OTHER_ID, OTHER_SECRET) + keysProfile("[two]", ID, SECRET));

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_aProfileThatIsNowhere_goesOnDownTheChain() throws Exception {
    env.put("AWS_PROFILE", "nowhere");
    credentialsFile(keysProfile("[default]", ID, SECRET));

    recorded("instance");
  }

  @Test
  void profile_theCredentialsFile_winsPerProperty() throws Exception {
    configFile(
        "[default]\n"
            + "aws_access_key_id = "
            + ID
            + "\naws_secret_access_key = "
            + OTHER_SECRET
            + "\nregion = eu-west-1\n");
    credentialsFile("[default]\naws_secret_access_key = " + SECRET + "\n");

    AwsKeys keys = staticKeys();
    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
  }

  @Test
  void profile_profileDefault_beatsDefault_inAConfigFile() throws Exception {
    configFile(
        keysProfile("[profile default]", ID, SECRET)
            + keysProfile("[default]", OTHER_ID, OTHER_SECRET));
    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);

    configFile(
        keysProfile("[default]", OTHER_ID, OTHER_SECRET)
            + "[profile default]\naws_access_key_id = "
            + ID
            + "\naws_secret_access_key = "
            + SECRET
            + "\n");
    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_comments_whitespace_andSubProperties() throws Exception {
    credentialsFile(
        "# a comment\n"
            + "; another\n"
            + "\n"
            + "  \t\n"
            + "[ default ] ; a title's comment needs no space\r\n"
            + "aws_access_key_id=   "
            + ID
            + "   # after whitespace, a comment\n"
            + "aws_secret_access_key\t=\t"
            + SECRET
            + "\t; also a comment\n"
            + "s3 =\n"
            + "  max_concurrent_requests = 20 # part of the value\n"
            + "\tmax_queue_size = 1000\n"
            + "note = a#b;c\n"
            + "[other]\n"
            + "aws_access_key_id = "
            + OTHER_ID
            + "\n");

    AwsKeys keys = staticKeys();
    assertThat(keys.accessKeyId()).isEqualTo(ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
  }

  @Test
  void profile_aCommentWithoutWhitespace_isPartOfTheValue() throws Exception {
    credentialsFile(keysProfile("[default]", ID, SECRET + "#not-a-comment"));

    assertThat(staticKeys().secretAccessKey()).isEqualTo(SECRET + "#not-a-comment");
  }

  @Test
  void profile_aContinuedKey_spansLines_andIsLeftToTheSdk() throws Exception {
    credentialsFile(
        "[default]\naws_access_key_id = "
            + ID
            + "\naws_secret_access_key = "
            + SECRET
            + "\n  CANARYsecondLine\n");

    assertThat(reason()).contains("aws_secret_access_key");
  }

  @Test
  void profile_temporaryKeys_inAProfile() throws Exception {
    credentialsFile(keysProfile("[default]", ID, SECRET) + "aws_session_token = " + TOKEN + "\n");

    AwsKeys keys = staticKeys();
    assertThat(keys.sessionToken()).isEqualTo(TOKEN);
  }

  @Test
  void profile_aSessionTokenWithoutItsKeys_goesOnDownTheChain() throws Exception {
    credentialsFile("[default]\naws_access_key_id = " + ID + "\naws_session_token = " + TOKEN);

    recorded("instance");
  }

  @Test
  void profile_aBlankSessionToken_isLeftToTheSdk() throws Exception {
    credentialsFile(keysProfile("[default]", ID, SECRET) + "aws_session_token =\n");

    assertThat(reason()).contains("aws_session_token");
  }

  @Test
  void profile_anIdWithoutASecret_orABlankOne_goesOnDownTheChain() throws Exception {
    credentialsFile("[default]\naws_access_key_id = " + ID + "\n");
    recorded("instance");

    credentialsFile("[default]\naws_access_key_id = " + ID + "\naws_secret_access_key =\n");
    recorded("instance");
  }

  @Test
  void profile_aProfileWithoutKeys_goesOnDownTheChain() throws Exception {
    configFile("[default]\nregion = eu-west-1\n");

    recorded("instance");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "role_arn",
        "credential_process",
        "sso_session",
        "sso_start_url",
        "sso_account_id",
        "sso_role_name",
        "sso_region",
        "web_identity_token_file",
        "credential_source",
        "source_profile",
        "login_session"
      })
  void profile_whatOnlyTheSdkDoes_isLeftToIt_namingTheProperty(String property) throws Exception {
    configFile("[default]\n" + property + " = CANARY-value\n");
    credentialsFile(keysProfile("[default]", ID, SECRET));

    assertThat(reason()).isEqualTo("the profile uses " + property);
  }

  @Test
  void profile_aRoleWithAWebIdentityTokenFile_isNamedAsSuch() throws Exception {
    configFile("[default]\nrole_arn = " + ROLE + "\nweb_identity_token_file = /CANARY\n");

    assertThat(reason()).contains("role_arn").contains("web_identity_token_file");
  }

  @Test
  void profile_aFileTheSdkCannotParse_isLeftToIt() throws Exception {
    credentialsFile("aws_access_key_id = " + ID + "\n[default]\n");
    assertThat(reason()).contains("credentials file").contains("line 1");

    Files.delete(home.resolve(".aws/credentials"));
    configFile("[default]\naws_access_key_id " + ID + "\n");
    assertThat(reason()).contains("config file").contains("line 2");

    configFile("[default\n");
    assertThat(reason()).contains("config file").contains("line 1");

    configFile("[default]\ns3 =\n  " + SECRET + "\n");
    assertThat(reason()).contains("line 3");
  }

  @Test
  void profile_aFileOverTheCap_isLeftToTheSdk() throws Exception {
    credentialsFile(
        keysProfile("[default]", ID, SECRET) + "#".repeat(KeyChain.MAX_PROFILE_FILE) + "\n");

    assertThat(reason()).contains("credentials file").contains("1 MiB");
  }

  @Test
  void profile_theFilesTheVariablesName_andATildeForHome() throws Exception {
    Path credentials = write("elsewhere/creds", keysProfile("[default]", ID, SECRET));
    credentialsFile(keysProfile("[default]", OTHER_ID, OTHER_SECRET));
    env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);

    env.put("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds");
    env.put("HOME", home.toString());
    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);

    env.remove("AWS_SHARED_CREDENTIALS_FILE");
    Path config = write("elsewhere/conf", keysProfile("[profile x]", OTHER_ID, OTHER_SECRET));
    Files.delete(home.resolve(".aws/credentials"));
    props.put("aws.configFile", config.toString());
    props.put("aws.profile", "x");
    assertThat(staticKeys().accessKeyId()).isEqualTo(OTHER_ID);
  }

  @Test
  void profile_homeComesFromTheVariable_beforeTheJvm() throws Exception {
    Path other = Files.createDirectories(home.resolve("other-home"));
    Files.createDirectories(other.resolve(".aws"));
    Files.writeString(
        other.resolve(".aws/credentials"), keysProfile("[default]", ID, SECRET), UTF_8);
    credentialsFile(keysProfile("[default]", OTHER_ID, OTHER_SECRET));

    env.put("HOME", other.toString());

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_aDirectoryInPlaceOfAFile_isSkipped() throws Exception {
    Files.createDirectories(home.resolve(".aws/credentials"));
    configFile(keysProfile("[default]", ID, SECRET));

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_aPipeInPlaceOfAFile_isSkipped_notRead() throws Exception {
    Path fifo = home.resolve("fifo");
    boolean made;
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
      made = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      made = false;
    }
    assumeTrue(made, "mkfifo is available");
    // Read, a pipe without a writer would block the walk for good.
    env.put("AWS_SHARED_CREDENTIALS_FILE", fifo.toString());
    configFile(keysProfile("[default]", ID, SECRET));

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  @Test
  void profile_aProfile_beatsTheContainer() throws Exception {
    credentialsFile(keysProfile("[default]", ID, SECRET));
    env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");

    assertThat(staticKeys().accessKeyId()).isEqualTo(ID);
  }

  // ---------------------------------------------------------------------------------------------
  // 5: the container endpoint

  @Test
  void container_aRelativeUri_isOnTheEcsHost_andBeatsAFullOne() {
    env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://example.test/creds");

    assertThat(recorded("container").args())
        .containsExactly(URI.create("http://169.254.170.2/v2/credentials/abc"), null, null);
  }

  @Test
  void container_theServiceEndpoint_movesTheRelativeUri() {
    props.put("aws.containerCredentialsPath", "/creds");
    env.put("AWS_CONTAINER_SERVICE_ENDPOINT", "http://127.0.0.1:8080");

    assertThat(recorded("container").args().get(0))
        .isEqualTo(URI.create("http://127.0.0.1:8080/creds"));

    env.put("AWS_CONTAINER_SERVICE_ENDPOINT", "http://10.0.0.8");
    assertThat(reason()).contains("aws.containerCredentialsPath", "AWS_CONTAINER_SERVICE_ENDPOINT");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://creds.example.test/v1",
        "http://127.0.0.1:9911/creds",
        "http://127.5.6.7/creds",
        "http://[::1]:9911/creds",
        "http://169.254.170.2/v2/credentials",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials"
      })
  void container_aFullUri_overHttpsOrToAnAllowedHost(String uri) {
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);

    assertThat(recorded("container").args().get(0)).isEqualTo(URI.create(uri));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.1.2.3/CANARY",
        "http://169.254.169.254/CANARY",
        "http://[fd00:ec2::254]/CANARY",
        "http://localhost:9911/CANARY",
        "http://CANARY.example.test/",
        "http://999.1.1.1/CANARY",
        "ftp://127.0.0.1/CANARY",
        "HTTPS://CANARY.example.test/",
        "/CANARY/relative"
      })
  void container_aFullUriTheSdkWouldRefuseOrMustResolve_isLeftToIt(String uri) {
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);

    assertThat(reason()).contains("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }

  @Test
  void container_theAuthorizationToken_beatsItsFile() throws Exception {
    Path file = write("container-token", CONTAINER_TOKEN);
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.toString());
    assertThat(recorded("container").args())
        .containsExactly(URI.create("http://169.254.170.23/v1/credentials"), file, null);

    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", " " + CONTAINER_TOKEN + " ");
    assertThat(recorded("container").args())
        .containsExactly(URI.create("http://169.254.170.23/v1/credentials"), null, CONTAINER_TOKEN);
  }

  @Test
  void container_aTokenFileThatIsNotThere_orATokenWithALineBreak_isLeftToTheSdk() {
    env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", home.resolve("CANARY").toString());
    assertThat(reason()).contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN + "\nX-Injected: 1");
    assertThat(reason()).contains("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }

  @Test
  void container_theContainer_beatsTheInstance() {
    env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338");

    recorded("container");
  }

  // ---------------------------------------------------------------------------------------------
  // 6 and 7: the instance metadata service, and nothing

  @Test
  void instance_theIpv4Endpoint_byDefault() {
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://169.254.169.254"));
  }

  @Test
  void instance_theIpv6Endpoint_byMode() throws Exception {
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://[fd00:ec2::254]"));

    env.remove("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    configFile("[default]\nec2_metadata_service_endpoint_mode = IPv6\n");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://[fd00:ec2::254]"));

    props.put("aws.ec2MetadataServiceEndpointMode", "IPv4");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://169.254.169.254"));
  }

  @Test
  void instance_anEndpoint_beatsTheMode() throws Exception {
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "not-a-mode");
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://127.0.0.1:1338"));

    env.remove("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    configFile("[default]\nec2_metadata_service_endpoint = http://127.0.0.1:1339\n");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://127.0.0.1:1339"));

    props.put("aws.ec2MetadataServiceEndpoint", "http://127.0.0.1:1340");
    assertThat(recorded("instance").args()).containsExactly(URI.create("http://127.0.0.1:1340"));
  }

  @Test
  void instance_anUnknownMode_orABadEndpoint_isLeftToTheSdk() {
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "CANARY-mode");
    assertThat(reason()).contains("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "CANARY:not-http");
    assertThat(reason()).contains("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  }

  @Test
  void instance_disabled_leavesNothing() {
    env.put("AWS_EC2_METADATA_DISABLED", "TRUE");

    Verdict v = verdict();

    assertThat(v.sdkReason()).isNull();
    Throwable t = catchThrowable(() -> v.source().keys(0L));
    assertThat(t).isInstanceOf(KeysUnavailable.class).hasMessage(KeyChain.NO_CREDENTIALS);
    v.source().close();
  }

  @Test
  void instance_disabledByTheProperty_whichBeatsTheVariable() {
    props.put("aws.disableEc2Metadata", "true");
    env.put("AWS_EC2_METADATA_DISABLED", "false");
    assertThat(catchThrowable(() -> verdict().source().keys(0L)))
        .isInstanceOf(KeysUnavailable.class);

    props.put("aws.disableEc2Metadata", "false");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    recorded("instance");
  }

  @Test
  void instance_aDisabledFlagThatIsNeitherTrueNorFalse_isLeftToTheSdk() {
    env.put("AWS_EC2_METADATA_DISABLED", "yes-CANARY");

    assertThat(reason()).contains("AWS_EC2_METADATA_DISABLED");
  }

  @Test
  void aSourceThatRefusesASetting_leavesTheChainToTheSdk() throws Exception {
    KeyChain.HttpSources refusing =
        new Recorder() {
          @Override
          public KeySource webIdentity(
              URI stsEndpoint, String region, Path tokenFile, String roleArn, String sessionName) {
            throw new IllegalArgumentException("the role session name is not valid");
          }
        };
    webIdentity();
    env.put("AWS_ROLE_SESSION_NAME", "a CANARY name");

    Verdict v = KeyChain.resolve(env, props, home, CLOCK, refusing);

    assertThat(v.source()).isNull();
    assertThat(v.sdkReason())
        .isEqualTo("web identity: the role session name is not valid")
        .doesNotContain("CANARY");
  }

  @Test
  void aUrlWithUserInformation_isRefused() throws Exception {
    webIdentity();
    env.put("AWS_ENDPOINT_URL_STS", "https://CANARY:pw@sts.example.test");
    assertThat(refusal())
        .isEqualTo(
            "AWS_ENDPOINT_URL_STS holds user information, which no credentials endpoint takes"
                + " (not shown)");

    env.clear();
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://CANARY:pw@creds.example.test/");
    assertThat(refusal()).startsWith("AWS_CONTAINER_CREDENTIALS_FULL_URI holds user information");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=not a uri CANARY",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=ghp_4kQz9XwP2mRt7LsV1bNc8YhJ3dGf6TeA0uKi",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://hvs.CAESIJk3n7Qx2PzLw9RtY4vBm8sDf6GhKaEo1UcZ/x",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/nowhere/ghp_4kQz9XwP2mRt7LsV1bNc8YhJ3dGf6TeA0uKi",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=q7Rz/Kd2mWx9PfLs3VbN8tYc/Hj4GeUa5oXi1EwT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=ghp_4kQz9XwP2mRt7LsV1bNc8YhJ3dGf6TeA0uKi",
        "AWS_EC2_METADATA_DISABLED=hvs.CAESIJk3n7Qx2PzLw9RtY4vBm8sDf6GhKaEo1UcZ"
      })
  void aSettingThatLooksLikeAPastedSecret_isRefusedUnquoted_notLeftToTheSdk(String setting) {
    String name = setting.substring(0, setting.indexOf('='));
    String value = setting.substring(name.length() + 1);
    if (name.equals("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9911/creds");
    }
    env.put(name, value);

    assertThat(refusal())
        .startsWith(name + " looks like a secret's value, not ")
        .endsWith("(not shown, in case it is one)")
        .doesNotContain(value);
  }

  @Test
  void aWebIdentityTokenFileThatLooksLikeAPastedSecret_isRefusedUnquoted() {
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", "q7Rz/Kd2mWx9PfLs3VbN8tYc/Hj4GeUa5oXi1EwT");

    assertThat(refusal())
        .isEqualTo(
            "AWS_WEB_IDENTITY_TOKEN_FILE looks like a secret's value, not a path (not shown, in"
                + " case it is one)");
  }

  // ---------------------------------------------------------------------------------------------
  // The sources the real chain builds

  @Test
  void theRealChain_buildsTheHttpSources() throws Exception {
    Map<Map<String, String>, Class<?>> cases = new LinkedHashMap<>();
    Path token = write("token", "jwt");
    cases.put(
        Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(), "AWS_ROLE_ARN", ROLE),
        WebIdentityKeys.class);
    cases.put(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"), ContainerKeys.class);
    cases.put(Map.of(), InstanceKeys.class);
    cases.put(Map.of("AWS_ACCESS_KEY_ID", ID, "AWS_SECRET_ACCESS_KEY", SECRET), StaticKeys.class);
    for (Map.Entry<Map<String, String>, Class<?>> c : cases.entrySet()) {
      Verdict v = KeyChain.resolve(c.getKey(), Map.of(), home, CLOCK, Duration.ofSeconds(2));
      assertThat(v.source()).isInstanceOf(c.getValue());
      v.source().close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parity with the SDK's own pieces

  /** Files the SDK's reader is fussy about; each is read both ways and compared. */
  private static final List<String> PROFILE_TEXTS =
      List.of(
          "[default]\naws_access_key_id = a\n",
          "# c\n; c\n[default] # c\nkey = value ; c\nk2 = v#x\nk3 = v\t;x\n",
          "[ default ]\n key = value\n",
          "[default]\nkey = value\n  more # kept\n\tmore\n",
          "[default]\ns3 =\n  a = 1\n  b=2\n",
          "[default]\ns3 =\n  no-equals\n",
          "[default]\n= value\n",
          "[default]\nno equals\n",
          "key = value\n[default]\n",
          "  continuation\n[default]\n",
          "[default]\n  continuation\n",
          "[default\nkey = value\n",
          "[\n",
          "[]\nkey = value\n",
          "[profile default]\na = 1\n[default]\nb = 2\n",
          "[default]\nb = 2\n[profile default]\na = 1\n",
          "[profile x]\na = 1\n[x]\nb = 2\n[profile\ty]\nc = 3\n",
          "[in valid]\na = 1\n[ok]\nb = 2\n",
          "[default]\nin valid = 1\n  cont\nok = 2\n",
          "[default]\na = 1\na = 2\n[default]\nb = 3\n",
          "[sso-session s]\nsso_region = r\n[default]\nsso_session = s\n",
          "[services s]\nsts =\n  endpoint_url = https://x\n[default]\nservices = s\n",
          "[default]\r\na = 1\rb = 2\r\n",
          "\ufeff[default]\na = 1\n",
          "[default]\na =\n",
          "[default]\n\u000b\n");

  private static Map<String, Map<String, String>> sdkProfiles(String text, ProfileFile.Type type) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    ProfileFile file = ProfileFile.builder().content(text).type(type).build();
    for (Map.Entry<String, Profile> p : file.profiles().entrySet()) {
      profiles.put(p.getKey(), p.getValue().properties());
    }
    return profiles;
  }

  @Test
  void theReader_readsAsTheSdksDoes() {
    int read = 0;
    int refused = 0;
    for (String text : PROFILE_TEXTS) {
      for (ProfileFile.Type type : ProfileFile.Type.values()) {
        boolean config = type == ProfileFile.Type.CONFIGURATION;
        Map<String, Map<String, String>> sdk;
        try {
          sdk = sdkProfiles(text, type);
        } catch (RuntimeException e) {
          sdk = null;
        }
        Map<String, Map<String, String>> ours;
        try {
          ours = KeyChain.parse(text, config).get(KeyChain.PROFILES);
        } catch (KeyChain.Unparsable e) {
          ours = null;
        }
        assertThat(ours).as("%s read as %s", text, type).isEqualTo(sdk);
        if (sdk == null) {
          refused++;
        } else {
          read++;
        }
      }
    }
    assertThat(read).as("files read").isGreaterThan(20);
    assertThat(refused).as("files refused").isGreaterThan(10);
  }

  /**
   * The same files through the SDK's ProfileCredentialsProvider, its files merged as its default
   * supplier merges them: the same keys, or the same refusal.
   */
  @Test
  void theProfileStep_findsTheKeysTheSdksProviderFinds() throws Exception {
    List<String[]> cases =
        List.of(
            new String[] {"default", keysProfile("[default]", ID, SECRET), null},
            new String[] {"default", null, keysProfile("[default]", ID, SECRET)},
            new String[] {
              "default",
              "[default]\naws_secret_access_key = " + SECRET + "\n",
              keysProfile("[default]", OTHER_ID, OTHER_SECRET)
            },
            new String[] {
              "work",
              keysProfile("[work]", OTHER_ID, OTHER_SECRET),
              keysProfile("[profile work]", ID, SECRET)
            },
            new String[] {
              "default",
              null,
              keysProfile("[default]", OTHER_ID, OTHER_SECRET)
                  + keysProfile("[profile default]", ID, SECRET)
            },
            new String[] {
              "default",
              keysProfile("[default]", ID, SECRET) + "aws_session_token = " + TOKEN + "\n",
              null
            },
            new String[] {"default", "[default]\naws_access_key_id = " + ID + "\n", null},
            new String[] {"work", keysProfile("[default]", ID, SECRET), null},
            new String[] {"default", "[default]\nregion = eu-west-1\n", null});
    int found = 0;
    for (String[] c : cases) {
      Files.deleteIfExists(home.resolve(".aws/credentials"));
      Files.deleteIfExists(home.resolve(".aws/config"));
      ProfileFile.Aggregator files = ProfileFile.aggregator();
      if (c[1] != null) {
        files.addFile(
            ProfileFile.builder()
                .content(credentialsFile(c[1]))
                .type(ProfileFile.Type.CREDENTIALS)
                .build());
      }
      if (c[2] != null) {
        files.addFile(
            ProfileFile.builder()
                .content(configFile(c[2]))
                .type(ProfileFile.Type.CONFIGURATION)
                .build());
      }
      props.put("aws.profile", c[0]);
      env.put("AWS_EC2_METADATA_DISABLED", "true");

      AwsCredentials sdk;
      try (ProfileCredentialsProvider provider =
          ProfileCredentialsProvider.builder()
              .profileFile(files.build())
              .profileName(c[0])
              .build()) {
        sdk = provider.resolveCredentials();
      } catch (RuntimeException e) {
        sdk = null;
      }
      Verdict v = verdict();
      if (sdk == null) {
        assertThat(v.source()).as("case %s", (Object) c).isNotInstanceOf(StaticKeys.class);
      } else {
        found++;
        AwsKeys ours = ((StaticKeys) v.source()).keys(0L);
        assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
        assertThat(ours.secretAccessKey()).isEqualTo(sdk.secretAccessKey());
        assertThat(ours.sessionToken())
            .isEqualTo(sdk instanceof AwsSessionCredentials s ? s.sessionToken() : null);
      }
    }
    assertThat(found).as("cases with keys").isEqualTo(6);
  }
}
