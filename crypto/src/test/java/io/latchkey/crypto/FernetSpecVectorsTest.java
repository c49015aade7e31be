package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Fernet specification's own vectors (see resources/fernet/ORIGIN.md), every one of them. */
final class FernetSpecVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode load(String name) throws IOException {
    try (InputStream in = FernetSpecVectorsTest.class.getResourceAsStream("/fernet/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource fernet/" + name);
      }
      return JSON.readTree(in);
    }
  }

  private static Stream<Named<JsonNode>> cases(String file) throws IOException {
    List<Named<JsonNode>> out = new ArrayList<>();
    for (JsonNode n : load(file)) {
      out.add(Named.of(n.has("desc") ? n.get("desc").asText() : n.get("src").asText(), n));
    }
    assertThat(out).isNotEmpty();
    return out.stream();
  }

  static Stream<Named<JsonNode>> generate() throws IOException {
    return cases("generate.json");
  }

  static Stream<Named<JsonNode>> verify() throws IOException {
    return cases("verify.json");
  }

  static Stream<Named<JsonNode>> invalid() throws IOException {
    return cases("invalid.json");
  }

  private static Instant now(JsonNode n) {
    return OffsetDateTime.parse(n.get("now").asText()).toInstant();
  }

  @ParameterizedTest
  @MethodSource
  void generate(JsonNode n) {
    FernetKey key = FernetKey.parse(n.get("secret").asText());
    byte[] iv = new byte[16];
    for (int i = 0; i < 16; i++) {
      iv[i] = (byte) n.get("iv").get(i).asInt();
    }
    String token =
        FernetKeyRing.encryptWithIv(
            key,
            n.get("src").asText().getBytes(StandardCharsets.UTF_8),
            now(n).getEpochSecond(),
            iv);
    assertThat(token).isEqualTo(n.get("token").asText());
  }

  @ParameterizedTest
  @MethodSource
  void verify(JsonNode n) {
    FernetKeyRing ring = FernetKeyRing.of(FernetKey.parse(n.get("secret").asText()));
    byte[] plain =
        ring.decrypt(
            n.get("token").asText(), Duration.ofSeconds(n.get("ttl_sec").asLong()), now(n));
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(n.get("src").asText());
    assertThat(ring.extractTimestamp(n.get("token").asText()))
        .isBetween(now(n).minusSeconds(n.get("ttl_sec").asLong()), now(n));
  }

  private static final Map<String, Reason> EXPECTED_REASONS =
      Map.of(
          "incorrect mac", Reason.WRONG_KEY_OR_TAMPERED,
          "too short", Reason.MALFORMED,
          "invalid base64", Reason.MALFORMED,
          "payload size not multiple of block size", Reason.MALFORMED,
          "payload padding error", Reason.MALFORMED,
          "far-future TS (unacceptable clock skew)", Reason.FROM_THE_FUTURE,
          "expired TTL", Reason.EXPIRED,
          "incorrect IV (causes padding error)", Reason.MALFORMED);

  @ParameterizedTest
  @MethodSource
  void invalid(JsonNode n) {
    FernetKeyRing ring = FernetKeyRing.of(FernetKey.parse(n.get("secret").asText()));
    String desc = n.get("desc").asText();
    assertThat(EXPECTED_REASONS).containsKey(desc);
    assertThatThrownBy(
            () ->
                ring.decrypt(
                    n.get("token").asText(), Duration.ofSeconds(n.get("ttl_sec").asLong()), now(n)))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(EXPECTED_REASONS.get(desc)));
  }
}
