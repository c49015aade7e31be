package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The secret scanner's labelled corpus, generated from one seed: synthetic credentials of every
 * rule written where people leave them ({@code positives/}), realistic text that holds none ({@code
 * negatives/}: lock files, minified JavaScript, base64 images, logs, data exports, fixtures full of
 * placeholders, source code), and a manifest of every credential's file, line and rule.
 *
 * <p>Core's tests keep the generated files under {@code src/test/resources/scan-corpus/} and check
 * that they are what this class generates; {@link #write(Path)} writes them again after a change.
 * The benchmark builds its mixed text with {@link #mixed(int, int, long)}.
 */
public final class ScanCorpus {
  /** The seed of the committed corpus. */
  public static final long SEED = 20240514L;

  /** The manifest's path within the corpus. */
  public static final String MANIFEST = "manifest.tsv";

  /**
   * One labelled credential.
   *
   * @param file its file, relative to the corpus
   * @param line the line its finding starts on, from 1
   * @param rule the rule that must find it
   * @param value the secret part as it stands on that line (for a key, its first line of base64)
   */
  public record Label(String file, int line, String rule, String value) {
    /** Holds a synthetic value, as the corpus's files do; printed by file, line and rule only. */
    @Override
    public String toString() {
      return file + ":" + line + " " + rule;
    }
  }

  /** A generated text for the benchmark, and how many credentials were put into it. */
  public record Mixed(String text, int credentials) {}

  private static final class Holder {
    static final Generated CORPUS = generate(SEED);
  }

  private record Generated(Map<String, String> files, List<Label> labels) {}

  private ScanCorpus() {}

  /**
   * The corpus's files by relative path (the positives, the negatives and the manifest).
   *
   * @return the files, in a stable order
   */
  public static Map<String, String> files() {
    return Holder.CORPUS.files();
  }

  /**
   * The labelled credentials, as the manifest lists them.
   *
   * @return the labels
   */
  public static List<Label> labels() {
    return Holder.CORPUS.labels();
  }

  /**
   * Writes the corpus's files under a directory, replacing those there.
   *
   * @param dir the corpus's directory, such as {@code core/src/test/resources/scan-corpus}
   */
  public static void write(Path dir) {
    try {
      for (Map.Entry<String, String> file : files().entrySet()) {
        Path path = dir.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The name a corpus file of source code is kept under: with {@code .txt} added, so that the tools
   * that read a repository's code (formatters, compilers, duplicate finders) leave this data alone.
   * The scanner reads every file the same way, whatever its name.
   */
  static String asData(String path) {
    return path.matches(".*\\.(java|py|go|ts|js|sql|sh)") ? path + ".txt" : path;
  }

  private static Generated generate(long seed) {
    CorpusText r = new CorpusText(new SplittableRandom(seed));
    SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(seed + 1));
    CorpusPositives positives = new CorpusPositives(r, secrets);
    Map<String, String> files = new LinkedHashMap<>(positives.files());
    CorpusNegatives n = new CorpusNegatives(r);
    CorpusFixtures f = new CorpusFixtures(r);
    files.put("negatives/web/package-lock.json", n.packageLock(650_000));
    files.put("negatives/web/yarn.lock", n.yarnLock(300_000));
    files.put("negatives/go/go.sum", n.goSum(150_000));
    files.put("negatives/rust/Cargo.lock", n.cargoLock(150_000));
    files.put("negatives/web/vendor.min.js", n.minifiedJs(500_000));
    files.put("negatives/web/styles.css", n.stylesWithImages(250_000));
    files.put("negatives/data/events.csv", n.eventsCsv(300_000));
    files.put("negatives/logs/server.log", n.serverLog(400_000));
    files.put("negatives/fixtures/.env.example", f.configTemplates(60_000));
    files.put("negatives/fixtures/docker-compose.test.yml", f.configTemplates(60_000));
    files.put("negatives/fixtures/users.json", f.testFixtures(150_000));
    String[] sources = {"Clients.java", "clients.py", "clients.go", "clients.ts", "schema.sql"};
    for (int language = 0; language < sources.length; language++) {
      files.put("negatives/src/" + asData(sources[language]), f.sourceCode(50_000, language));
    }
    files.put("negatives/git/log.txt", f.gitLog(100_000));
    files.put("negatives/deploy/manifests.yaml", f.manifests(100_000));
    files.put("negatives/docs/configuration.md", f.docs(80_000));
    files.put("negatives/build/settings-and-filters.xml", f.buildFiles(60_000));
    List<Label> labels = new ArrayList<>();
    StringBuilder manifest = new StringBuilder();
    manifest
        .append("# Every credential in this corpus: file, line (where its finding starts), rule,\n")
        .append("# and the secret part as it stands on that line. All synthetic; see README.md.\n");
    for (CorpusPositives.Label l : positives.labels()) {
      String file = l.file();
      labels.add(new Label(file, l.line(), l.rule(), l.value()));
      manifest
          .append(file)
          .append('\t')
          .append(l.line())
          .append('\t')
          .append(l.rule())
          .append('\t')
          .append(l.value())
          .append('\n');
    }
    files.put(MANIFEST, manifest.toString());
    return new Generated(Collections.unmodifiableMap(files), List.copyOf(labels));
  }

  /**
   * A mixed text as a repository holds it (source code, JSON, logs), with a credential of some rule
   * every {@code every} characters: the benchmark's input.
   *
   * @param size the least length of the text, in characters (all ASCII); it ends after the piece
   *     that reaches it
   * @param every how far apart credentials are
   * @param seed the seed
   * @return the text and the number of credentials in it
   */
  public static Mixed mixed(int size, int every, long seed) {
    CorpusText r = new CorpusText(new SplittableRandom(seed));
    SyntheticSecrets s = new SyntheticSecrets(new SplittableRandom(seed + 1));
    CorpusNegatives n = new CorpusNegatives(r);
    CorpusFixtures f = new CorpusFixtures(r);
    List<Supplier<String>> pieces =
        List.of(
            () -> f.sourceCode(12_000, -1),
            () -> n.packageLock(12_000),
            () -> f.testFixtures(12_000),
            () -> n.serverLog(12_000));
    List<Supplier<String>> credentials =
        List.of(
            () -> "GITHUB_TOKEN=" + s.githubToken("ghp_") + "\n",
            () -> "aws_access_key_id = " + s.awsAccessKeyId() + "\n",
            () -> "Authorization: Bearer " + s.jwt() + "\n",
            () -> "DATABASE_URL=postgres://app:" + s.password() + "@db:5432/app\n",
            () -> "  \"client_secret\": \"" + s.apiSecret() + "\",\n",
            () -> "stripe.api_key = \"" + s.stripeKey() + "\"\n",
            () -> "OPENAI_API_KEY=" + s.openAiKey() + "\n",
            () -> s.pemPrivateKey("EC"));
    StringBuilder out = new StringBuilder(size + 16_384);
    int count = 0;
    long next = every / 2;
    while (out.length() < size) {
      out.append(pieces.get(r.between(0, pieces.size() - 1)).get());
      while (out.length() >= next) {
        out.append(credentials.get(count % credentials.size()).get());
        count++;
        next += every;
      }
    }
    return new Mixed(out.toString(), count);
  }
}
