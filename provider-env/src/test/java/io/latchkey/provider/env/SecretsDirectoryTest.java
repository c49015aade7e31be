package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.config.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory of one file per secret, as Docker and Kubernetes mount them. */
final class SecretsDirectoryTest {
  @TempDir Path root;
  Path secrets;

  @BeforeEach
  void createDirectory() throws Exception {
    secrets = Files.createDirectory(root.resolve("secrets"));
  }

  private EnvSecretProvider env() {
    return EnvSecretProvider.builder().environment(Map.of()).noDotenv().secretsDir(secrets).build();
  }

  @Test
  void fileNamedExactly_isFound() {
    Testing.write(secrets.resolve("DB_PASSWORD"), "exact\n");
    assertThat(value(env(), "DB_PASSWORD").text()).isEqualTo("exact");
    assertThat(value(env(), "DB_PASSWORD").origin())
        .isEqualTo(Origin.of(Origin.Kind.SECRETS_DIR, "DB_PASSWORD"));
  }

  @Test
  void lowerCaseFile_isFoundForTheUpperCaseName() {
    Testing.write(secrets.resolve("db_password"), "lower\n");
    assertThat(value(env(), "DB_PASSWORD").text()).isEqualTo("lower");
    assertThat(value(env(), "DB_PASSWORD").name()).isEqualTo("DB_PASSWORD");
    assertThat(value(env(), "DB_PASSWORD").origin())
        .isEqualTo(Origin.of(Origin.Kind.SECRETS_DIR, "db_password"));
    assertThat(text(env(), "db_password")).isEqualTo("lower");
  }

  @Test
  void exactName_winsOverTheLowerCaseOne() {
    Testing.write(secrets.resolve("TOKEN"), "exact");
    Testing.write(secrets.resolve("token"), "lower");
    assertThat(text(env(), "TOKEN")).isEqualTo("exact");
  }

  @Test
  void slashReference_findsTheFileOfItsEnvironmentName() {
    Testing.write(secrets.resolve("llm_api_key_control_plane"), "sk-test\n");
    assertThat(text(env(), "llm_api_key/control_plane")).isEqualTo("sk-test");
  }

  @Test
  void trailingLineBreak_isRemovedOnce() {
    Testing.write(secrets.resolve("a"), "value\r\n");
    Testing.write(secrets.resolve("b"), "value\n\n");
    assertThat(text(env(), "A")).isEqualTo("value");
    assertThat(text(env(), "B")).isEqualTo("value\n");
  }

  /**
   * A file mounted before its content was written: a configuration load (what a schema load and
   * {@code latchkey doctor} read through) refuses it as a fetch does, never taking it for unset.
   */
  @Test
  void emptyFile_isAnError_forALoadAsForAFetch() {
    Testing.write(secrets.resolve("API_KEY"), "");
    Testing.write(secrets.resolve("db_password"), "\n");
    EnvSecretProvider env = env();
    ConfigException load = catchThrowableOfType(ConfigException.class, () -> env.get("API_KEY"));
    assertThat(load).as("get(API_KEY)").isNotNull();
    assertThat(load.problems())
        .containsExactly(
            new Problem(
                "API_KEY", secrets.resolve("API_KEY") + " is empty (in the secrets directory)"));
    assertThatThrownBy(() -> env.fetch(SecretRef.parse("env:API_KEY")))
        .as("fetch(env:API_KEY)")
        .hasMessageEndingWith(
            "API_KEY: " + secrets.resolve("API_KEY") + " is empty (in the secrets directory)");
    ConfigException lower =
        catchThrowableOfType(ConfigException.class, () -> env.get("DB_PASSWORD"));
    assertThat(lower).as("get(DB_PASSWORD)").isNotNull();
    assertThat(lower.problems())
        .containsExactly(
            new Problem(
                "DB_PASSWORD",
                secrets.resolve("db_password") + " is empty (in the secrets directory)"));
  }

  @Test
  void hiddenFiles_andDirectories_areIgnored() throws Exception {
    Testing.write(secrets.resolve(".HIDDEN"), "hidden");
    Testing.write(secrets.resolve(".hidden"), "hidden");
    Files.createDirectory(secrets.resolve("NESTED"));
    Testing.write(secrets.resolve("visible"), "shown");
    EnvSecretProvider env = env();
    assertThat(env.get(".HIDDEN")).isEmpty();
    assertThat(env.get(".hidden")).isEmpty();
    assertThat(env.get("NESTED")).isEmpty();
    assertThat(env.names()).containsExactly("VISIBLE");
  }

  @Test
  void namesOutsideTheDirectory_areNeverLookedUp() {
    Testing.write(root.resolve("outside"), "outside the directory");
    Testing.write(root.resolve("OUTSIDE"), "outside the directory");
    EnvSecretProvider env = env();
    assertThat(env.get("../outside")).isEmpty();
    assertThat(env.get("../OUTSIDE")).isEmpty();
    // An absolute path is no reference at all.
    assertThatThrownBy(() -> env.get(root.resolve("outside").toString()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kubernetesVolume_isReadThroughItsSymbolicLinks_andRotatesAtomically() throws Exception {
    // The layout the kubelet writes: timestamped data, ..data pointing at it, and one link per
    // key pointing through ..data.
    Path first = Files.createDirectory(secrets.resolve("..2026_11_23_10_00_00.000000001"));
    Testing.write(first.resolve("db_password"), "first\n");
    Files.createSymbolicLink(secrets.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(
        secrets.resolve("db_password"), Path.of("..data").resolve("db_password"));
    EnvSecretProvider env = env();
    assertThat(text(env, "DB_PASSWORD")).isEqualTo("first");
    assertThat(env.names()).containsExactly("DB_PASSWORD");

    Path second = Files.createDirectory(secrets.resolve("..2026_11_24_10_00_00.000000002"));
    Testing.write(second.resolve("db_password"), "second\n");
    Path next = Files.createSymbolicLink(secrets.resolve("..data_tmp"), second.getFileName());
    Files.move(next, secrets.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(text(env, "DB_PASSWORD")).isEqualTo("second");
  }

  @Test
  void names_listUpperCaseFormsOfLowerCaseFiles_andOtherNamesAsTheyAre() {
    Testing.write(secrets.resolve("db_password"), "x");
    Testing.write(secrets.resolve("MixedCase"), "x");
    Testing.write(secrets.resolve("API_KEY"), "x");
    Testing.write(secrets.resolve("has space"), "x");
    EnvSecretProvider env = env();
    assertThat(env.names()).containsExactly("API_KEY", "DB_PASSWORD", "MixedCase");
    for (String name : env.names()) {
      assertThat(env.get(name)).as(name).isPresent();
    }
  }

  @Test
  void unreadableContent_isAnErrorNamingTheSettingAndPath_withoutTheContent() {
    byte[] content = (CANARY + "\u00e9").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file =
        Testing.write(
            secrets.resolve("db_password"), java.util.Arrays.copyOf(content, content.length - 1));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> env().get("DB_PASSWORD"));
    assertThat(e.problems())
        .containsExactly(
            new Problem("DB_PASSWORD", file + " is not valid UTF-8 (in the secrets directory)"));
    assertThat(e.getMessage()).doesNotContain(CANARY);
  }

  @Test
  void missingDirectory_isAnErrorAtBuild() {
    Path missing = root.resolve("missing");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.builder()
                    .environment(Map.of())
                    .noDotenv()
                    .secretsDir(missing)
                    .build());
    assertThat(e.problems())
        .containsExactly(new Problem("secrets directory", missing + " does not exist"));
  }

  @Test
  void fileInsteadOfDirectory_isAnErrorAtBuild() {
    Path file = Testing.write(root.resolve("plain-file"), "x");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.builder()
                    .environment(Map.of())
                    .noDotenv()
                    .secretsDir(file)
                    .build());
    assertThat(e.problems())
        .containsExactly(new Problem("secrets directory", file + " is not a directory"));
  }

  @Test
  void directoryRemovedAfterBuild_namesFail_andLookupsFindNothing() throws Exception {
    EnvSecretProvider env = env();
    Files.delete(secrets);
    assertThat(env.get("ANYTHING")).isEmpty();
    ConfigException e = catchThrowableOfType(ConfigException.class, env::names);
    assertThat(e.problems())
        .containsExactly(
            new Problem("secrets directory", secrets + " cannot be listed (NoSuchFileException)"));
  }
}
