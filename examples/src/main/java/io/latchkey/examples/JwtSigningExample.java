package io.latchkey.examples;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.SignatureException;
import io.latchkey.ConfigException;
import io.latchkey.crypto.signing.SigningKeyRing;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rotating the key that signs JWT session tokens ({@code HS256}, with jjwt) without signing
 * everyone out: sign with the ring's current key and name it in the {@code kid} header, verify
 * through jjwt's {@code keyLocator} hook with whichever key of the ring the {@code kid} names.
 *
 * <p>Run it from the repository's root:
 *
 * <pre>{@code
 * ./mvnw -B -q -pl examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.latchkey.examples.JwtSigningExample
 * }</pre>
 *
 * <p>It reads {@code SESSION_SIGNING_KEY} (and {@code SESSION_SIGNING_KEY_PREVIOUS}) from the
 * environment, or makes a demo key when none is set.
 */
public final class JwtSigningExample {
  static final String KEY_VAR = "SESSION_SIGNING_KEY";
  static final String PREVIOUS_VAR = KEY_VAR + "_PREVIOUS";

  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");

  private final PrintStream out;

  private JwtSigningExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example.
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
    new JwtSigningExample(out).run(env);
  }

  private void run(Map<String, String> env) {
    // 1. Load the ring: SESSION_SIGNING_KEY signs, SESSION_SIGNING_KEY_PREVIOUS only verifies.
    Map<String, String> config = loadOrMakeDemoConfig(env);
    SigningKeyRing ring = SigningKeyRing.fromEnvironment(KEY_VAR, config);
    say("1. signing key ring loaded: %s", ring);

    // 2. Sign a session token with the current key; its kid header names that key.
    String aliceToken = issue(ring, "alice", Instant.now());
    say(
        "2. session token for alice signed; its header: %s",
        parser(ring).parseSignedClaims(aliceToken).getHeader());

    // 3. Rotate. In production: SESSION_SIGNING_KEY=$(openssl rand -base64 32), the old value
    //    moved to the front of SESSION_SIGNING_KEY_PREVIOUS, then a rolling restart.
    Map<String, String> rotatedConfig = rotate(config, SigningKeyRing.generateKey().reveal());
    SigningKeyRing rotated = SigningKeyRing.fromEnvironment(KEY_VAR, rotatedConfig);
    say("3. rotated: %s", rotated);

    // 4. Alice's token, signed before the rotation, still verifies: the locator resolves its kid
    //    to the previous key. New tokens are signed with the new key.
    Jws<Claims> old = parser(rotated).parseSignedClaims(aliceToken);
    say(
        "4. alice's old token still verifies: subject=%s, kid=%s (a previous key: re-issue it)",
        old.getPayload().getSubject(), old.getHeader().getKeyId());
    String bobToken = issue(rotated, "bob", Instant.now());
    say(
        "   bob's new token is signed with kid=%s",
        parser(rotated).parseSignedClaims(bobToken).getHeader().getKeyId());

    // 5. Once the longest-lived old token has expired, retire the old key: remove it from
    //    SESSION_SIGNING_KEY_PREVIOUS. A token signed with it is rejected from then on.
    SigningKeyRing retired =
        SigningKeyRing.fromEnvironment(KEY_VAR, Map.of(KEY_VAR, rotatedConfig.get(KEY_VAR)));
    say("5. old key retired: %s", retired);
    try {
      parser(retired).parseSignedClaims(aliceToken);
      say("   a token signed with the retired key still verified: this should not happen");
    } catch (JwtException e) {
      say("   a token signed with the retired key is rejected: %s", e.getMessage());
    }
    // A token whose payload was altered names a key of the ring but fails its signature.
    try {
      parser(retired).parseSignedClaims(withSubject(bobToken, "mallory"));
      say("   an altered token verified: this should not happen");
    } catch (JwtException e) {
      say("   an altered token is rejected: %s", e.getMessage());
    }
  }

  /**
   * Signs a session token for a subject with the ring's current key, naming the key in the {@code
   * kid} header.
   */
  static String issue(SigningKeyRing ring, String subject, Instant now) {
    return Jwts.builder()
        .header()
        .keyId(ring.currentKeyId())
        .and()
        .subject(subject)
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(TOKEN_LIFETIME)))
        // HS256 named explicitly: jjwt would otherwise pick HS384 or HS512 for longer keys.
        .signWith(ring.signingKey(), Jwts.SIG.HS256)
        .compact();
  }

  /** A parser that verifies with whichever key of the ring the token's {@code kid} names. */
  static JwtParser parser(SigningKeyRing ring) {
    return Jwts.parser().keyLocator(new RingKeyLocator(ring)).build();
  }

  /** jjwt's key-resolution hook, backed by the ring. */
  private static final class RingKeyLocator extends LocatorAdapter<Key> {
    private final SigningKeyRing ring;

    RingKeyLocator(SigningKeyRing ring) {
      this.ring = ring;
    }

    @Override
    protected Key locate(JwsHeader header) {
      String kid = header.getKeyId();
      if (kid == null || !KEY_ID.matcher(kid).matches()) {
        // The kid comes from the caller: quote it only once it is known to be eight hex digits.
        throw new SignatureException("token has no valid kid header; sign in again");
      }
      return ring.verificationKey(kid)
          .orElseThrow(
              () ->
                  new SignatureException(
                      "token signed with key "
                          + kid
                          + ", which is unknown or retired;"
                          + " sign in again"));
    }
  }

  private Map<String, String> loadOrMakeDemoConfig(Map<String, String> env) {
    if (env.containsKey(KEY_VAR)) {
      Map<String, String> config = new LinkedHashMap<>();
      config.put(KEY_VAR, env.get(KEY_VAR));
      if (env.containsKey(PREVIOUS_VAR)) {
        config.put(PREVIOUS_VAR, env.get(PREVIOUS_VAR));
      }
      return config;
    }
    say("%s is not set: using a demo key made for this run only.", KEY_VAR);
    say("   (set it to the output of `openssl rand -base64 32` to use your own)");
    return Map.of(KEY_VAR, SigningKeyRing.generateKey().reveal());
  }

  /** The configuration after a rotation: the new key current, the old one first of the rest. */
  private static Map<String, String> rotate(Map<String, String> config, String newKey) {
    String previous = config.get(KEY_VAR).strip();
    String older = config.getOrDefault(PREVIOUS_VAR, "");
    return Map.of(
        KEY_VAR, newKey, PREVIOUS_VAR, older.isBlank() ? previous : previous + "," + older);
  }

  /** Replaces the token's payload with one for another subject, keeping header and signature. */
  static String withSubject(String token, String subject) {
    String[] parts = token.split("\\.");
    byte[] json = ("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8);
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    return parts[0] + "." + payload + "." + parts[2];
  }

  // Not annotated @FormatMethod: the examples keep to the project's own dependencies.
  @SuppressWarnings("AnnotateFormatMethod")
  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }
}
