package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.crypto.signing.SigningKeyRing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The JWT example must keep working and keep telling the truth. */
final class JwtSigningExampleTest {
  private static final String CANARY = "CANARY-7f3a9c-session-signing-key-0123456789";

  private final String k1 = SigningKeyRing.generateKey().reveal();
  private final String k2 = SigningKeyRing.generateKey().reveal();

  private static String run(Map<String, String> env) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JwtSigningExample.run(env, new PrintStream(bytes, true, UTF_8));
    return bytes.toString(UTF_8);
  }

  private static SigningKeyRing ring(String current, String... previous) {
    Secret[] older = new Secret[previous.length];
    for (int i = 0; i < previous.length; i++) {
      older[i] = Secret.of(previous[i]);
    }
    return SigningKeyRing.of(Secret.of(current), older);
  }

  private static String headerJson(String token) {
    return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), UTF_8);
  }

  @Test
  void run_withoutKey_usesADemoKeyAndWalksThroughTheRotation() {
    String out = run(Map.of());
    assertThat(out)
        .contains("SESSION_SIGNING_KEY is not set: using a demo key")
        .contains("1. signing key ring loaded: SigningKeyRing[current=")
        .contains("alg=HS256")
        .contains("4. alice's old token still verifies: subject=alice")
        .contains("a token signed with the retired key is rejected")
        .contains("which is unknown or retired")
        .contains("an altered token is rejected")
        .doesNotContain("this should not happen");
    // The kid printed in step 2 is the key that is previous in step 3 and verifies in step 4.
    String kid =
        out.replaceFirst(
            "(?s).*1\\. signing key ring loaded: SigningKeyRing\\[current=([0-9a-f]{8}).*", "$1");
    assertThat(kid).matches("[0-9a-f]{8}");
    assertThat(out)
        .contains("kid=" + kid)
        .contains("previous=[" + kid + "]")
        .contains("subject=alice, kid=" + kid + " (a previous key")
        .contains("token signed with key " + kid + ", which is unknown or retired");
    // Bob's token is signed with the new key, not the old one.
    String newKid =
        out.replaceFirst("(?s).*3\\. rotated: SigningKeyRing\\[current=([0-9a-f]{8}).*", "$1");
    assertThat(newKid).matches("[0-9a-f]{8}").isNotEqualTo(kid);
    assertThat(out).contains("bob's new token is signed with kid=" + newKid);
    assertThat(out)
        .contains("5. old key retired: SigningKeyRing[current=" + newKid + ", previous=[]]");
  }

  @Test
  void run_withKeysFromEnvironment_usesThemAndPrintsNone() {
    String out =
        run(
            Map.of(
                JwtSigningExample.KEY_VAR, CANARY, JwtSigningExample.PREVIOUS_VAR, " " + k2 + " "));
    String kid = ring(CANARY).currentKeyId();
    String previousKid = ring(k2).currentKeyId();
    assertThat(out)
        .doesNotContain("demo key")
        .contains(
            "1. signing key ring loaded: SigningKeyRing[current="
                + kid
                + ", previous=["
                + previousKid
                + "]]")
        // After the rotation the old current key comes first among the previous ones.
        .containsPattern(
            "3\\. rotated: SigningKeyRing\\[current=[0-9a-f]{8}, previous=\\["
                + kid
                + ", "
                + previousKid
                + "\\]\\]")
        .doesNotContain("CANARY")
        .doesNotContain("7f3a9c")
        .doesNotContain(k2);
  }

  @Test
  void run_withBadKey_failsNamingTheVariableNotTheValue() {
    assertThatThrownBy(() -> run(Map.of(JwtSigningExample.KEY_VAR, "CANARY-7f3a9c")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SESSION_SIGNING_KEY: is 13 bytes long")
        .hasMessageNotContaining("CANARY");
    assertThatThrownBy(
            () ->
                run(
                    Map.of(
                        JwtSigningExample.KEY_VAR, k1, JwtSigningExample.PREVIOUS_VAR, k2 + ",")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SESSION_SIGNING_KEY_PREVIOUS entry 2: is blank");
  }

  @Test
  void issue_signsHs256WithTheCurrentKeyAndNamesItInTheKidHeader() {
    SigningKeyRing ring = ring(k1, k2);
    Instant now = Instant.now();
    String token = JwtSigningExample.issue(ring, "alice", now);
    assertThat(headerJson(token))
        .contains("\"kid\":\"" + ring.currentKeyId() + "\"")
        .contains("\"alg\":\"HS256\"");
    // Verified independently of the ring, with a plain JCA key made from the same bytes.
    Claims claims =
        Jwts.parser()
            .verifyWith(new SecretKeySpec(k1.getBytes(UTF_8), "HmacSHA256"))
            .build()
            .parseSignedClaims(token)
            .getPayload();
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getExpiration().toInstant())
        .isEqualTo(now.plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS));
    // The signature is the ring's own HMAC over the signing input.
    String signingInput = token.substring(0, token.lastIndexOf('.'));
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    assertThat(ring.verifyingKeyId(signingInput.getBytes(UTF_8), signature))
        .contains(ring.currentKeyId());
  }

  @Test
  void parser_verifiesTokensOfEveryKeyInTheRing_byKid() {
    String byOld = JwtSigningExample.issue(ring(k2), "alice", Instant.now());
    SigningKeyRing rotated = ring(k1, k2);
    Jws<Claims> jws = JwtSigningExample.parser(rotated).parseSignedClaims(byOld);
    assertThat(jws.getPayload().getSubject()).isEqualTo("alice");
    assertThat(jws.getHeader().getKeyId()).isEqualTo(ring(k2).currentKeyId());
    String byNew = JwtSigningExample.issue(rotated, "bob", Instant.now());
    assertThat(JwtSigningExample.parser(rotated).parseSignedClaims(byNew).getPayload().getSubject())
        .isEqualTo("bob");
  }

  @Test
  void parser_rejectsRetiredUnknownMissingOrForgedKeys() {
    SigningKeyRing retired = ring(k1);
    String byOld = JwtSigningExample.issue(ring(k2), "alice", Instant.now());
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(byOld))
        .isInstanceOf(JwtException.class)
        .hasMessage(
            "token signed with key "
                + ring(k2).currentKeyId()
                + ", which is unknown or retired; sign in again");

    // No kid at all.
    String noKid =
        Jwts.builder()
            .subject("alice")
            .signWith(new SecretKeySpec(k1.getBytes(UTF_8), "HmacSHA256"), Jwts.SIG.HS256)
            .compact();
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(noKid))
        .isInstanceOf(JwtException.class)
        .hasMessage("token has no valid kid header; sign in again");

    // A kid that is not a key id is not echoed back.
    String oddKid =
        Jwts.builder()
            .header()
            .keyId("../../etc/passwd\nCANARY")
            .and()
            .subject("alice")
            .signWith(new SecretKeySpec(k1.getBytes(UTF_8), "HmacSHA256"), Jwts.SIG.HS256)
            .compact();
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(oddKid))
        .isInstanceOf(JwtException.class)
        .hasMessageNotContaining("CANARY")
        .hasMessageNotContaining("passwd");

    // The current kid on a token signed with another key: the kid chooses the key, the
    // signature still has to match it.
    String forged =
        Jwts.builder()
            .header()
            .keyId(retired.currentKeyId())
            .and()
            .subject("mallory")
            .signWith(new SecretKeySpec(k2.getBytes(UTF_8), "HmacSHA256"), Jwts.SIG.HS256)
            .compact();
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(forged))
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("signature");

    // An altered payload under a valid kid and signature.
    String altered =
        JwtSigningExample.withSubject(
            JwtSigningExample.issue(retired, "bob", Instant.now()), "mallory");
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(altered))
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("signature");

    // An unsigned token ("alg":"none") is refused outright.
    String unsigned =
        Jwts.builder().header().keyId(retired.currentKeyId()).and().subject("mallory").compact();
    assertThatThrownBy(() -> JwtSigningExample.parser(retired).parseSignedClaims(unsigned))
        .isInstanceOf(JwtException.class);
  }

  @Test
  void parser_rejectsAnExpiredTokenEvenFromTheCurrentKey() {
    SigningKeyRing ring = ring(k1);
    String expired =
        JwtSigningExample.issue(ring, "alice", Instant.now().minus(Duration.ofHours(1)));
    assertThatThrownBy(() -> JwtSigningExample.parser(ring).parseSignedClaims(expired))
        .isInstanceOf(ExpiredJwtException.class);
  }
}
