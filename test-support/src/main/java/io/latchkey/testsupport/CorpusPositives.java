package io.latchkey.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scanner corpus's true positives: synthetic credentials of every rule, written where people
 * leave them (environment files, YAML, JSON, properties, Java, Python, Go, TypeScript, Terraform,
 * shell scripts, logs, notes, Maven settings, key files), among ordinary lines, each labelled with
 * its file, line and rule.
 */
final class CorpusPositives {
  /** Where a credential is: the line its finding starts on, and the secret part as written. */
  record Label(String file, int line, String rule, String value) {}

  /** A file being written: its text, its line count, and the labels of what it holds. */
  private final class Doc {
    final String name;
    final String newline;
    final StringBuilder text = new StringBuilder();
    int line = 1;

    Doc(String name, String newline) {
      this.name = name;
      this.newline = newline;
    }

    void line(String l) {
      text.append(l).append(newline);
      line++;
    }

    /** A line holding a credential, its finding starting on this line. */
    void secret(String rule, String value, String l) {
      labels.add(new Label(name, line, rule, value));
      line(l);
    }

    /** Several lines; the credential's finding starts {@code at} lines into them. */
    void secret(String rule, String value, int at, String lines) {
      labels.add(new Label(name, line + at, rule, value));
      String body = lines.endsWith("\n") ? lines.substring(0, lines.length() - 1) : lines;
      for (String l : body.split("\n", -1)) {
        line(l);
      }
    }
  }

  private static final String[] FORMATS = {
    "config/app.env",
    "config/application.yml",
    "config/settings.json",
    "config/application.properties",
    "src/main/java/com/acme/Clients.java",
    "scripts/client.py",
    "cmd/server/main.go",
    "web/src/api.ts",
    "deploy/main.tf",
    "scripts/deploy.sh",
    "logs/app.log",
    "notes/incident-2024-05.md",
    "config/settings.xml"
  };

  private final CorpusText r;
  private final SyntheticSecrets s;
  private final List<Label> labels = new ArrayList<>();
  private final Map<String, Doc> docs = new LinkedHashMap<>();

  CorpusPositives(CorpusText r, SyntheticSecrets s) {
    this.r = r;
    this.s = s;
    for (String format : FORMATS) {
      String newline = format.endsWith(".log") ? "\r\n" : "\n";
      docs.put(format, new Doc("positives/" + ScanCorpus.asData(format), newline));
    }
  }

  /** Writes every positive; returns the files by path, in order. */
  Map<String, String> files() {
    int item = 0;
    for (String rule : CorpusRules.RULES) {
      int count = CorpusRules.count(rule);
      for (int i = 0; i < count; i++) {
        String format = FORMATS[(item++ * 7 + i) % FORMATS.length];
        Doc d = docs.get(format);
        filler(d, format, r.between(1, 4));
        CorpusRules.write(this, rule, i, format);
      }
    }
    keyFiles();
    Map<String, String> files = new LinkedHashMap<>();
    for (Doc d : docs.values()) {
      files.put(d.name, d.text.toString());
    }
    return files;
  }

  List<Label> labels() {
    return labels;
  }

  SyntheticSecrets secrets() {
    return s;
  }

  CorpusText text() {
    return r;
  }

  /** Writes a line holding a credential in a format's file. */
  void secret(String format, String rule, String value, String line) {
    docs.get(format).secret(rule, value, line);
  }

  /** Writes lines holding a credential whose finding starts {@code at} lines in. */
  void secret(String format, String rule, String value, int at, String lines) {
    docs.get(format).secret(rule, value, at, lines);
  }

  /** Files that are one credential each: key files as tools write them. */
  private void keyFiles() {
    String[] kinds = {"RSA", "EC", "OPENSSH", "PKCS8"};
    for (int i = 0; i < 12; i++) {
      String kind = kinds[i % kinds.length];
      String pem = s.pemPrivateKey(kind);
      Doc d =
          new Doc(
              "positives/keys/" + kind.toLowerCase(java.util.Locale.ROOT) + "-" + i + ".pem", "\n");
      if (i % 3 == 0) {
        d.line("Bag Attributes");
        d.line("    friendlyName: " + r.word() + "-" + i);
      }
      d.secret("private-key", pem.split("\n")[1], 1, pem);
      docs.put(d.name, d);
    }
    for (int i = 0; i < 12; i++) {
      String project =
          r.word() + "-" + (i % 2 == 0 ? "prod" : "staging") + "-" + r.between(100000, 999999);
      String json = s.gcpServiceAccount(project, r.word() + "-sa");
      Doc d = new Doc("positives/keys/" + project + "-" + r.hex(12) + ".json", "\n");
      d.secret("gcp-service-account", gcpValue(json), 4, json);
      docs.put(d.name, d);
    }
  }

  /** The first characters of the key in a service-account file, as they stand in it. */
  static String gcpValue(String json) {
    int begin = json.indexOf("-----\\n") + "-----\\n".length();
    return json.substring(begin, begin + 64);
  }

  /** Lines that hold nothing: comments, ordinary settings, log lines. */
  private void filler(Doc d, String format, int lines) {
    for (int i = 0; i < lines; i++) {
      String w = r.word();
      int n = r.between(1, 9000);
      String l =
          switch (format.substring(format.lastIndexOf('.') + 1)) {
            case "env" -> r.upper(w) + "_TIMEOUT_MS=" + n;
            case "yml" -> "  " + w + "_pool_size: " + (n % 64);
            case "json" -> "  \"" + w + "Enabled\": " + (n % 2 == 0) + ",";
            case "properties" -> "app." + w + ".retries=" + (n % 7);
            case "java" -> "    private static final int " + r.upper(w) + "_LIMIT = " + n + ";";
            case "py" -> w + "_limit = " + n + "  # per minute";
            case "go" -> "\t" + w + "Limit := " + n;
            case "ts" -> "export const " + w + "Limit = " + n + ";";
            case "tf" -> "  " + w + "_count = " + (n % 9);
            case "sh" -> "echo \"deploying " + w + " (" + r.hex(7) + ")\"";
            case "log" ->
                r.timestamp(n) + " INFO  [main] c.e." + w + ".App - started in " + n + "ms";
            case "md" -> "- " + w + ": checked the " + w + " dashboards, nothing unusual";
            default -> "    <" + w + "Limit>" + n + "</" + w + "Limit>";
          };
      d.line(l);
    }
  }
}
