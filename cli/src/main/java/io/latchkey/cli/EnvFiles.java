package io.latchkey.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The commit guard's rule for {@code .env} files: they hold a machine's secrets and are never
 * committed, except the templates that say which settings exist ({@code .env.example}, {@code
 * .env.sample}, {@code .env.template}).
 *
 * <p>A file is a {@code .env} file when its name is {@code .env} or starts with {@code .env.},
 * {@code .env-} or {@code .env_} ({@code .env.local}, {@code .env.production}, {@code .env-prod}).
 * direnv's {@code .envrc} is a script, not a {@code .env} file: it is scanned like any other.
 */
final class EnvFiles {
  /** The rule a refusal is reported under. */
  static final String RULE = "env-file";

  static final String DESCRIPTION =
      ".env file (only .env.example, .env.sample and .env.template may be committed)";

  /** What the report shows in place of an excerpt. */
  static final String EXCERPT = "(a .env file: commit .env.example instead)";

  private static final Set<String> TEMPLATES =
      Set.of(".env.example", ".env.sample", ".env.template");

  private EnvFiles() {}

  /** Whether the file at {@code path} (any separators) is a {@code .env} file that is refused. */
  static boolean isRefused(String path) {
    String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    if (TEMPLATES.contains(name)) {
      return false;
    }
    return name.equals(".env")
        || (name.startsWith(".env") && name.length() > 4 && ".-_".indexOf(name.charAt(4)) >= 0);
  }

  /**
   * The fingerprint of a refusal, by which it is allow-listed like a finding: a hash of the path
   * (relative to the work tree, with {@code /}), so that allowing {@code config/.env.test} allows
   * that file and no other.
   */
  static String fingerprint(String path) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("latchkey-env-file-1\0".getBytes(StandardCharsets.US_ASCII));
      byte[] digest = sha256.digest(path.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
