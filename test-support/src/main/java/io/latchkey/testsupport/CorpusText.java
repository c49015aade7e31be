package io.latchkey.testsupport;

import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The raw material of the scanner's corpus: names, words, versions, hashes, identifiers, drawn from
 * a seeded source so that every file comes out the same on every run.
 */
final class CorpusText {
  static final String HEX = "0123456789abcdef";
  static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private static final String[] PACKAGES = {
    "react",
    "lodash",
    "webpack",
    "babel",
    "eslint",
    "postcss",
    "chalk",
    "debug",
    "semver",
    "glob",
    "minimatch",
    "yargs",
    "commander",
    "rollup",
    "jest",
    "esbuild",
    "typescript",
    "ajv",
    "uuid",
    "express",
    "cookie",
    "mime",
    "etag",
    "axios",
    "moment",
    "dayjs",
    "zod",
    "vite",
    "vitest",
    "nanoid",
    "acorn",
    "picomatch",
    "braces",
    "micromatch",
    "fast-glob",
    "graceful-fs",
    "readable-stream",
    "safe-buffer",
    "inherits",
    "string-width",
    "strip-ansi",
    "ansi-styles",
    "supports-color",
    "source-map",
    "tslib",
    "rxjs",
    "prettier",
    "terser",
    "browserslist",
    "caniuse-lite",
    "electron",
    "jsdom",
    "ws",
    "undici",
    "node-fetch",
    "form-data",
    "qs",
    "body-parser",
    "jsonwebtoken",
    "js-tokens",
    "tokenizr",
    "passport",
    "passport-local",
    "bcryptjs",
    "dotenv",
    "secret-stack"
  };

  private static final String[] SCOPES = {
    "@babel",
    "@types",
    "@aws-sdk",
    "@smithy",
    "@jest",
    "@eslint",
    "@rollup",
    "@vitejs",
    "@azure",
    "@google-cloud",
    "@octokit",
    "@slack"
  };

  private static final String[] SUFFIXES = {
    "",
    "",
    "",
    "-core",
    "-utils",
    "-plugin-transform",
    "-loader",
    "-cli",
    "-parser",
    "-runtime",
    "-types",
    "-compat",
    "-config",
    "-helpers",
    "-client-s3",
    "-credential-providers"
  };

  static final String[] WORDS = {
    "account", "order", "invoice", "customer", "payment", "session", "request", "response", "user",
    "cache", "queue", "worker", "batch", "report", "export", "import", "billing", "shipment",
    "product", "catalog", "search", "index", "profile", "settings", "audit", "event", "metric",
    "upload", "download", "webhook", "retry", "timeout", "schedule", "tenant", "region", "cluster"
  };

  private final SplittableRandom random;

  CorpusText(SplittableRandom random) {
    this.random = random;
  }

  SplittableRandom random() {
    return random;
  }

  int between(int from, int to) {
    return random.nextInt(from, to + 1);
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }

  String draw(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  String hex(int length) {
    return draw(HEX, length);
  }

  String base64(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  String uuid() {
    return hex(8)
        + "-"
        + hex(4)
        + "-4"
        + hex(3)
        + "-"
        + pick(new String[] {"8", "9", "a", "b"})
        + hex(3)
        + "-"
        + hex(12);
  }

  String word() {
    return pick(WORDS);
  }

  String camel(String a, String b) {
    return a + Character.toUpperCase(b.charAt(0)) + b.substring(1);
  }

  String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  String packageName() {
    String base = pick(PACKAGES) + pick(SUFFIXES);
    return chance(30) ? pick(SCOPES) + "/" + base : base;
  }

  String version() {
    return between(0, 12) + "." + between(0, 30) + "." + between(0, 40);
  }

  String ip() {
    return "10." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
  }

  String timestamp(int i) {
    int seconds = i % 60;
    int minutes = (i / 60) % 60;
    return String.format(
        Locale.ROOT,
        "2024-05-%02dT%02d:%02d:%02d.%03dZ",
        14 + (i / 86400) % 10,
        (i / 3600) % 24,
        minutes,
        seconds,
        random.nextInt(1000));
  }

  /** An identifier of a few letters, as a minifier or a hurried developer writes them. */
  String shortName() {
    return draw("abcdefghijklmnopqrstuvwxyz", between(1, 2));
  }
}
