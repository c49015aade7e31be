package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.gson.Gson;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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

  private static Map<String, Function<Object, String>> serialisers() {
    Map<String, Function<Object, String>> all = new LinkedHashMap<>();
    ObjectMapper plain = new ObjectMapper();
    ObjectMapper lenient = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    ObjectMapper fields =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
    Gson gson = new Gson();
    all.put("Jackson", o -> json(plain, o));
    all.put("Jackson without FAIL_ON_EMPTY_BEANS", o -> json(lenient, o));
    all.put("Jackson with field visibility ANY", o -> json(fields, o));
    all.put("Gson", gson::toJson);
    return all;
  }

  private static String json(ObjectMapper mapper, Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException("jackson refused", e);
    }
  }

  /**
   * Fails if {@code output} holds any 8 consecutive bytes of {@code raw} as Gson and Jackson write
   * a number array ({@code [12,-3,…]}), a form {@link Leaks} does not look for.
   */
  private static void assertNoByteRun(String what, String output, byte[] raw) {
    String compact = output.replace(" ", "");
    for (int i = 0; i + Leaks.FRAGMENT <= raw.length; i++) {
      String run =
          IntStream.range(i, i + Leaks.FRAGMENT)
              .mapToObj(j -> Byte.toString(raw[j]))
              .collect(Collectors.joining(","));
      assertThat(compact).as(what + " writes key bytes as numbers").doesNotContain(run);
    }
  }

  private static void assertNotSerialisable(String what, Object o) {
    List<String> outputs = new ArrayList<>();
    for (Map.Entry<String, Function<Object, String>> s : serialisers().entrySet()) {
      try {
        outputs.add(s.getKey() + ": " + s.getValue().apply(o));
      } catch (RuntimeException refused) {
        // Refusing is fine, as long as the refusal carries no key.
        for (String secret : List.of(FERNET, SIGNING, API_KEY)) {
          Leaks.assertNoLeak(refused, secret);
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertThatThrownBy(
            () -> {
              try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
              }
            })
        .as(what + " through ObjectOutputStream")
        .isInstanceOf(NotSerializableException.class);
    outputs.add(
        "ObjectOutputStream: " + new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
    for (String output : outputs) {
      String channel = what + " through " + output.substring(0, output.indexOf(':'));
      Leaks.assertNoLeak(channel, output, FERNET);
      Leaks.assertNoLeak(channel, output, SIGNING);
      Leaks.assertNoLeak(channel, output, API_KEY);
      Leaks.assertNoLeak(channel, output, HexFormat.of().formatHex(FERNET_RAW));
      assertNoByteRun(channel, output, FERNET_RAW);
      assertNoByteRun(channel, output, SIGNING.getBytes(StandardCharsets.UTF_8));
      // The verifier's hash is derived from the key: at most the 8-digit prefix toString shows.
      String hash = ApiKeyVerifier.hash(Secret.of(API_KEY)).substring("sha256:".length());
      assertThat(output).as(channel).doesNotContain(hash.substring(0, 12));
    }
  }

  static Stream<Arguments> holders() {
    FernetKey key = FernetKey.parse(FERNET, "KEY");
    SigningKeyRing signing = SigningKeyRing.of(Secret.of(SIGNING), Secret.of(SIGNING + "-old"));
    ApiKeyVerifier verifier =
        ApiKeyVerifier.builder()
            .current(ApiKeyVerifier.hash(Secret.of(API_KEY)))
            .previous(ApiKeyVerifier.hash(Secret.of(API_KEY + "-old")), NOW)
            .build();
    return Stream.of(
        Arguments.of("FernetKey", key),
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
    for (Object o : List.of(key, FernetKeyRing.of(key), signing, signing.signingKey())) {
      assertThat(mapper.writeValueAsString(o)).isEqualTo("\"" + o + "\"");
    }
  }
}
