package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A git repository in a temporary directory, driven with the git binary, for the scan's tests. */
final class GitRepo {
  final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  /** The environment the tests give the CLI and git: no system or user configuration. */
  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("GIT_"));
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.com");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.com");
    return env;
  }

  /** A new repository with no commit. */
  static GitRepo init(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    GitRepo repo = new GitRepo(dir);
    repo.git("init", "-q", "-b", "main");
    return repo;
  }

  GitRepo write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, UTF_8);
    return this;
  }

  GitRepo add(String... paths) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("add", "--"));
    args.addAll(List.of(paths));
    git(args.toArray(new String[0]));
    return this;
  }

  GitRepo commit(String message) throws IOException, InterruptedException {
    git("commit", "-q", "--no-verify", "-m", message);
    return this;
  }

  /** Runs git in the repository and returns what it printed; fails the test if git fails. */
  String git(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    assertThat(r.status()).as("git %s: %s", List.of(args), r.output()).isZero();
    return r.output();
  }

  /** What a git command printed (both streams) and its exit status. */
  record Result(int status, String output) {}

  /** Runs git in the repository and returns what it printed and its exit status. */
  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
