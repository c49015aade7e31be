package io.latchkey.examples;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.io.PrintStream;
import java.util.Map;

/**
 * The quickstart: encrypt a stored credential, rotate the key through the dual-key window, and
 * retire the old key without losing the value.
 *
 * <p>Run it with the README's first command. It reads {@code APP_ENCRYPTION_KEY} (and {@code
 * APP_ENCRYPTION_KEY_PREVIOUS}) from the environment, or makes a demo key when none is set.
 */
public final class Quickstart {
  private static final String KEY_VAR = "APP_ENCRYPTION_KEY";
  private final PrintStream out;

  private Quickstart(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the quickstart.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try {
      run(System.getenv(), System.out);
    } catch (ConfigException e) {
      // The message names the variables and what is wrong, never a key.
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  static void run(Map<String, String> env, PrintStream out) {
    new Quickstart(out).run(env);
  }

  private void run(Map<String, String> env) {
    // 1. Load the key ring: APP_ENCRYPTION_KEY is the current key,
    //    APP_ENCRYPTION_KEY_PREVIOUS the older ones (comma-separated).
    FernetKeyRing ring = loadOrMakeDemoRing(env);
    SwappableKeyRing keys = SwappableKeyRing.of(ring);
    say("1. key ring loaded: %s", ring);

    // 2. Encrypt a credential before storing it; the token is what goes in the database.
    Secret apiKey = Secret.of("sk-demo-4f9c2b7e1d8a6c3f5e0b9a7d");
    String stored = keys.encrypt(apiKey);
    say("2. credential %s encrypted to a %d-character token: %s…", apiKey, stored.length(),
        stored.substring(0, 24));

    // 3. Read it back. A Secret prints masked, so it is safe in logs.
    Secret readBack = keys.decryptSecret(stored);
    say("3. decrypted: %s (matches the original: %s)", readBack, readBack.matches(apiKey));

    // 4. Rotate: a new key becomes current, the old one moves to ..._PREVIOUS.
    //    In production: APP_ENCRYPTION_KEY=$(latchkey keygen), the old value appended to
    //    APP_ENCRYPTION_KEY_PREVIOUS, then a rolling restart. Here we swap the ring in place.
    FernetKey newKey = FernetKey.generate();
    FernetKeyRing dualKey = FernetKeyRing.of(newKey, ring.primaryKey());
    keys.swap(dualKey);
    say("4. new key %s is current; %s is previous (the dual-key window)", newKey.id(),
        ring.primaryKeyId());

    // 5. During the window, the old token still reads.
    say("5. old token still reads: %s", keys.decryptSecret(stored).matches(apiKey));

    // 6. Re-encrypt stored values under the new key; the token keeps its original timestamp.
    boolean needsRotation = !keys.isPrimary(stored);
    String rotated = keys.rotate(stored);
    say("6. token needed rotation: %s; rotated, now under the current key: %s", needsRotation,
        keys.isPrimary(rotated));

    // 7. Once every stored value is rotated, retire the old key.
    keys.swap(FernetKeyRing.of(newKey));
    say("7. old key retired; rotated token reads: %s", keys.decryptSecret(rotated).matches(apiKey));
    try {
      keys.decrypt(stored);
      say("   the un-rotated token still read: this should not happen");
    } catch (InvalidTokenException e) {
      say("   an un-rotated token is now rejected: %s (%s)", e.getMessage(), e.reason());
    }
    apiKey.wipe();
    readBack.wipe();
  }

  private FernetKeyRing loadOrMakeDemoRing(Map<String, String> env) {
    if (env.containsKey(KEY_VAR)) {
      return FernetKeyRing.fromEnvironment(KEY_VAR, env);
    }
    say("%s is not set: using a demo key made for this run only.", KEY_VAR);
    say("   (set it to the output of `java -jar cli/target/latchkey.jar keygen` to use your own)");
    return FernetKeyRing.fromEnvironment(
        KEY_VAR, Map.of(KEY_VAR, FernetKey.generate().encoded().reveal()));
  }

  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }
}
