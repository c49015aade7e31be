package io.latchkey.bench.spring;

import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.vault.testing.FakeVault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The loopback Secrets Manager and Vault of {@link StarterStartupBenchmark}, in a process of their
 * own, as a real backend is: the application whose start is measured pays for its own side of each
 * call and nothing of the server's. Both serve the 20 secrets, are warmed up by requests of every
 * kind the forms send (so a cold start meets a server that has long been running), and then answer
 * each request after 20 ms.
 *
 * <p>The protocol with the parent is one line per setting on standard output ({@code
 * aws.KEY=VALUE}, {@code vault.KEY=VALUE}), then {@code ready}; the servers stop when standard
 * input closes.
 */
public final class LoopbackServers {
  static final String READY = "ready";
  private static final int WARM_UP_ROUNDS = 30;

  private LoopbackServers() {}

  /**
   * Starts the servers, warms them up, prints their settings and serves until standard input
   * closes.
   *
   * @param args none
   * @throws Exception if a server cannot start or a warm-up request fails
   */
  public static void main(String[] args) throws Exception {
    try (FakeSecretsManager aws = FakeSecretsManager.start();
        FakeVault vault = FakeVault.start()) {
      for (int i = 0; i < StarterStartupBenchmark.SECRETS; i++) {
        String value = StarterStartupBenchmark.value(i);
        // One JSON for both: Latchkey reads the field "value", Spring Cloud AWS turns every member
        // into a property.
        aws.putSecretString(
            "bench/s" + i,
            "{\"value\":\"" + value + "\",\"bench.secrets.s" + i + "\":\"" + value + "\"}");
        vault.putKv2("secret", "bench/s" + i, Map.of("value", value));
      }
      warmUp(aws, vault);
      aws.latency(Duration.ofMillis(20));
      vault.latency(Duration.ofMillis(20));
      awaitQuietCompiler();
      aws.environment().forEach((k, v) -> System.out.println("aws." + k + "=" + v));
      vault.environment().forEach((k, v) -> System.out.println("vault." + k + "=" + v));
      System.out.println(READY);
      System.out.flush();
      // Serves until the parent closes our standard input (or dies).
      while (System.in.read() >= 0) {
        // Nothing is read from the parent but the end of the stream.
      }
    }
  }

  private static void warmUp(FakeSecretsManager aws, FakeVault vault) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < StarterStartupBenchmark.SECRETS; i++) {
      ids.add("bench/s" + i);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (SecretsManagerClient client =
        SecretsManagerClient.builder()
            .region(Region.of(aws.region()))
            .endpointOverride(aws.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      for (int round = 0; round < WARM_UP_ROUNDS; round++) {
        client.batchGetSecretValue(b -> b.secretIdList(ids));
        for (String id : ids) {
          client.getSecretValue(b -> b.secretId(id));
        }
        client.describeSecret(b -> b.secretId(ids.get(0)));
        for (int i = 0; i < StarterStartupBenchmark.SECRETS; i++) {
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create(vault.address() + "/v1/secret/data/bench/s" + i))
                      .header("X-Vault-Token", vault.rootToken())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() != 200) {
            throw new IllegalStateException("the loopback Vault answered " + answer.statusCode());
          }
        }
      }
    }
  }

  /** Waits until this JVM's JIT has had nothing to compile for a while, so it takes no CPU. */
  private static void awaitQuietCompiler() throws InterruptedException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long last = -1;
    int quiet = 0;
    while (quiet < 3) {
      Thread.sleep(200);
      long now = jit.getTotalCompilationTime();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
  }

  /** The child process, and the settings it printed. */
  static final class Child implements AutoCloseable {
    final Map<String, String> aws = new LinkedHashMap<>();
    final Map<String, String> vault = new LinkedHashMap<>();
    private final Process process;

    private Child(Process process) {
      this.process = process;
    }

    /** Starts the servers in a JVM of their own, on this JVM's class path, and waits for them. */
    static Child start() throws IOException {
      Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
      Process process =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  LoopbackServers.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Child child = new Child(process);
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals(READY)) {
        int dot = line.indexOf('.');
        int eq = line.indexOf('=');
        if (dot < 0 || eq < dot) {
          continue;
        }
        Map<String, String> target = line.startsWith("aws.") ? child.aws : child.vault;
        target.put(line.substring(dot + 1, eq), line.substring(eq + 1));
      }
      if (line == null) {
        process.destroy();
        throw new IOException("the loopback servers did not start");
      }
      return child;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
