package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two different AES-GCM keys whose key ids collide (the pair the crypto module's tests found) are a
 * configuration problem of where they came from, named as such by every command that loads keys,
 * from a variable or from a file: never an internal error.
 */
final class KeyIdCollisionTest {
  static final String FIRST =
      key("57141cb3319f87976c04df1867aa1117b20d5422b98edaccf7ef43e85ba7cfa3");
  static final String SECOND =
      key("ee5c24f681257c57efac73ecd4c0e23660baf2a6f01044bb031e6a014ead43d3");

  @TempDir Path dir;

  static String key(String hex) {
    return "lkk." + Base64.getUrlEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  @ParameterizedTest
  @ValueSource(strings = {"encrypt", "decrypt", "rotate"})
  void keyEnv_collidingKeyIds_areAConfigurationProblem(String command) {
    Cli.Result r =
        Cli.run(
            Map.of("APP_KEY", FIRST, "APP_KEY_PREVIOUS", SECOND),
            "x",
            command,
            "--key-env",
            "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("key id 010169fe")
        .doesNotContain("internal error")
        .doesNotContain(FIRST.substring(4))
        .doesNotContain(SECOND.substring(4));
  }

  @ParameterizedTest
  @ValueSource(strings = {"encrypt", "decrypt", "rotate"})
  void keyFile_collidingKeyIds_areAConfigurationProblemNamingTheFile(String command)
      throws Exception {
    Path file = dir.resolve("keys.txt");
    Files.writeString(file, FIRST + "\n" + SECOND + "\n", StandardCharsets.UTF_8);

    Cli.Result r = Cli.run(Map.of(), "x", command, "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .as("stderr")
        .doesNotContain("internal error")
        .contains("key id 010169fe")
        .contains("keys.txt")
        .doesNotContain(FIRST.substring(4))
        .doesNotContain(SECOND.substring(4));
  }
}
