package io.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With every provider module on the class path, an application on the env provider loads no AWS,
 * Google, gRPC or Vault class: the JVM's own class-loading log ({@code -Xlog:class+load}) of a
 * fresh process running {@link ClassLoadingProbe} is the evidence. Only the three provider
 * factories are loaded (not initialised), because {@code ServiceLoader} reads their
 * {@code @ProviderName} annotation. (The AWS provider, created, loads no AWS SDK class either: it
 * calls through a client of its own; {@code ProviderSelectionTest} in its module checks that.)
 */
final class ProviderClassLoadingTest {
  private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source:");
  private static final Pattern CLOUD =
      Pattern.compile(
          "^(software\\.amazon\\..*|com\\.google\\..*|io\\.grpc\\..*|io\\.netty\\..*"
              + "|io\\.latchkey\\.provider\\.(aws|gcp|vault)\\..*)$");

  @TempDir Path dir;

  @Test
  void envOnly_loadsNoCloudClass_butTheFactories() throws Exception {
    List<String> loaded = run("env");

    List<String> cloud = loaded.stream().filter(c -> CLOUD.matcher(c).matches()).toList();
    assertThat(cloud)
        .containsExactlyInAnyOrder(
            "io.latchkey.provider.aws.AwsSecretProviderFactory",
            "io.latchkey.provider.gcp.GcpSecretProviderFactory",
            "io.latchkey.provider.vault.VaultSecretProviderFactory");
    assertThat(loaded).contains("io.latchkey.provider.env.EnvSecretProvider");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "aws,   io.latchkey.provider.aws.OwnSecretsApi",
    "gcp,   com.google.cloud.secretmanager.",
    "vault, io.latchkey.provider.vault.VaultSecretProvider"
  })
  void creatingACloudProvider_loadsItsClasses_theControlForTheTestAbove(
      String provider, String prefix) throws Exception {
    List<String> loaded = run(provider);

    assertThat(loaded).anyMatch(c -> c.startsWith(prefix));
  }

  private List<String> run(String mode) throws IOException, InterruptedException {
    Path log = dir.resolve("classes-" + mode + ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xlog:class+load=info:file=" + log);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClassLoadingProbe.class.getName());
    command.add(mode);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out-" + mode + ".txt").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
    String output = Files.readString(dir.resolve("out-" + mode + ".txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("loaded ");
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .map(LOADED::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .collect(Collectors.toList());
  }
}
