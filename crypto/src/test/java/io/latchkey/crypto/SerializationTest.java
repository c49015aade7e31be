package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.MigrationKeyRing;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.crypto.apikey.ApiKeyVerifier;
import io.latchkey.crypto.signing.SigningKeyRing;
import io.latchkey.testsupport.Serialisers;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing in crypto that holds a key is written by Jackson, Gson or Java serialisation by accident:
 * Jackson writes the {@code toString()} (key identifiers, hash prefixes), Gson writes no key
 * material, and {@code ObjectOutputStream} refuses.
 */
final class SerializationTest {
  private static final byte[] FERNET_RAW =
      IntStream.range(0, 32)
          .collect(
              ByteArrayOutputStream::new,
              (out, i) -> out.write(0x5a ^ (i * 37)),
              (a, b) -> a.writeBytes(b.toByteArray()))
          .toByteArray();
  private static final String FERNET = Base64.getUrlEncoder().encodeToString(FERNET_RAW);
  private static final String SIGNING = "CANARY-signing-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e";
  private static final String API_KEY = "sk_live_CANARY-api-8e7d6c5b4a39281706f5e4d3";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static void assertNotSerialisable(String what, Object o) {
    Map<String, String> written =
        Serialisers.assertWritesNoValue(
            what,
            o,
            List.of(FERNET_RAW),
            FERNET,
            SIGNING,
            API_KEY,
            HexFormat.of().formatHex(FERNET_RAW));
    // The verifier's hashes are derived from the keys: at most the 8-digit prefix toString shows.
    String hash = ApiKeyVerifier.hash(Secret.of(API_KEY)).substring("sha256:".length());
    written.forEach(
        (serialiser, output) ->
            assertThat(output)
                .as(what + " through " + serialiser)
                .doesNotContain(hash.substring(0, 12)));
  }

  static Stream<Arguments> holders() {
    FernetKey key = FernetKey.parse(FERNET, "KEY");
    SigningKeyRing signing = SigningKeyRing.of(Secret.of(SIGNING), Secret.of(SIGNING + "-old"));
    ApiKeyVerifier verifier =
        ApiKeyVerifier.builder()
            .current(ApiKeyVerifier.hash(Secret.of(API_KEY)))
            .previous(ApiKeyVerifier.hash(Secret.of(API_KEY + "-old")), NOW)
            .build();
    AesGcmKey aesKey = AesGcmKey.of(FERNET_RAW);
    AesGcmKeyRing aesRing = AesGcmKeyRing.of(aesKey, AesGcmKey.generate());
    return Stream.of(
        Arguments.of("FernetKey", key),
        Arguments.of("AesGcmKey", aesKey),
        Arguments.of("AesGcmKeyRing", aesRing),
        Arguments.of("MigrationKeyRing", MigrationKeyRing.toAesGcm(aesRing, FernetKeyRing.of(key))),
        Arguments.of("SwappableAeadKeyRing", SwappableAeadKeyRing.of(aesRing)),
        Arguments.of("FernetKeyRing", FernetKeyRing.of(key, FernetKey.generate())),
        Arguments.of("keys in a map", Map.of("key", key)),
        Arguments.of("SigningKeyRing", signing),
        Arguments.of("signing key", signing.signingKey()),
        Arguments.of("verification keys", signing.verificationKeys()),
        Arguments.of("ApiKeyVerifier", verifier));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holders")
  void serialise_holderOfAKey_writesNoKeyAndJavaSerialisationRefuses(String what, Object o) {
    assertNotSerialisable(what, o);
  }

  @Test
  void jackson_keysAndRings_writeTheirToString() throws Exception {
    FernetKey key = FernetKey.parse(FERNET, "KEY");
    SigningKeyRing signing = SigningKeyRing.of(Secret.of(SIGNING));
    ObjectMapper mapper = new ObjectMapper();
    AesGcmKey aesKey = AesGcmKey.of(FERNET_RAW);
    for (Object o :
        List.of(
            key,
            FernetKeyRing.of(key),
            signing,
            signing.signingKey(),
            aesKey,
            AesGcmKeyRing.of(aesKey),
            MigrationKeyRing.toFernet(FernetKeyRing.of(key), AesGcmKeyRing.of(aesKey)))) {
      assertThat(mapper.writeValueAsString(o)).isEqualTo("\"" + o + "\"");
    }
  }
}
