package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.gson.Gson;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Canary values in every form a real encoder gives them, embedded in text: the redacted text holds
 * none of them, in any form {@link Leaks} knows, and the text around them is untouched. And the
 * redactor itself never shows a value: not in {@code toString()}, an exception or a log line.
 */
final class RedactorCanaryTest {
  private static final String BEFORE = "request failed (";
  private static final String AFTER = ") after 3 attempts";

  /** Canaries of every shape: punctuation that encoders escape, non-ASCII, a key, a plain token. */
  private static List<String> canaries() {
    List<String> canaries = new ArrayList<>();
    canaries.add("p@ss w/rd:\"q\\u'<&>=é中😀\n\t%+#?;");
    canaries.add("sk-proj-CANARYa1b2c3d4e5f6g7h8i9j0KLMNOPQRSTUV");
    byte[] key = new byte[32];
    new SplittableRandom(7).nextBytes(key);
    canaries.add(Base64.getUrlEncoder().encodeToString(key));
    SplittableRandom random = new SplittableRandom(0xCA4A2L);
    for (int i = 0; i < 40; i++) {
      canaries.add(Leaks.randomSecret(random, 48));
    }
    return canaries;
  }

  @Test
  void redact_everyFormLeaksKnows_leavesNoneAndKeepsTheText() {
    for (String canary : canaries()) {
      Redactor redactor = Redactor.builder().value("CANARY", Secret.of(canary)).build();
      for (Map.Entry<String, String> form : Leaks.forms(canary).entrySet()) {
        String redacted = redactor.redact(BEFORE + form.getValue() + AFTER);
        Leaks.assertNoLeak(form.getKey(), redacted, canary);
        assertThat(redacted).as(form.getKey()).isEqualTo(BEFORE + "***" + AFTER);
      }
    }
  }

  @Test
  void redact_whatRealEncodersWrite_leavesNothing() throws Exception {
    ObjectMapper jackson = new ObjectMapper();
    ObjectMapper jacksonAscii =
        JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    Gson gson = new Gson();
    for (String canary : canaries()) {
      Redactor redactor = Redactor.builder().value("CANARY", Secret.of(canary)).build();
      byte[] utf8 = canary.getBytes(StandardCharsets.UTF_8);
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("Jackson", jackson.writeValueAsString(Map.of("apiKey", canary)));
      outputs.put("Jackson, ASCII", jacksonAscii.writeValueAsString(Map.of("apiKey", canary)));
      outputs.put("Gson", gson.toJson(Map.of("apiKey", canary)));
      outputs.put(
          "URLEncoder",
          "https://h/cb?token=" + URLEncoder.encode(canary, StandardCharsets.UTF_8) + "&x=1");
      outputs.put(
          "URLEncoder, %20",
          "https://h/cb?token="
              + URLEncoder.encode(canary, StandardCharsets.UTF_8).replace("+", "%20"));
      outputs.put(
          "URI user info",
          new URI("https", "app:" + canary, "db.example.com", 5432, "/app", null, null)
              .toASCIIString());
      outputs.put("hex", "key=" + HexFormat.of().formatHex(utf8));
      outputs.put("HEX", "key=" + HexFormat.of().withUpperCase().formatHex(utf8));
      outputs.put("XML", "<key>" + xmlEscape(canary) + "</key>");
      for (String user : List.of("", "a", "ab", "abc", "service-account")) {
        String header = "Authorization: Basic " + base64(user + ":" + canary);
        outputs.put("basic auth, user of " + user.length(), header);
      }
      for (Map.Entry<String, String> output : outputs.entrySet()) {
        String redacted = redactor.redact(output.getValue());
        Leaks.assertNoLeak(output.getKey(), redacted, canary);
        assertThat(redacted).as(output.getKey()).contains("***");
      }
    }
  }

  @Test
  void redact_valueInsideALongerBase64Text_masksEveryCharacterThatEncodesOnlyIt() {
    SplittableRandom random = new SplittableRandom(0xB64L);
    for (String canary : canaries()) {
      Redactor redactor = Redactor.builder().value("CANARY", Secret.of(canary)).build();
      byte[] value = canary.getBytes(StandardCharsets.UTF_8);
      for (int offset = 0; offset < 6; offset++) {
        byte[] blob = new byte[offset + value.length + random.nextInt(0, 9)];
        random.nextBytes(blob);
        System.arraycopy(value, 0, blob, offset, value.length);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
          String encoded = encoder.encodeToString(blob);
          String redacted = redactor.redact("payload=" + encoded);
          // The characters whose 6 bits all come from the value, and any 8 of them in a row.
          String inside = encoded.substring((8 * offset + 5) / 6, 8 * (offset + value.length) / 6);
          for (int i = 0; i + 8 <= inside.length(); i++) {
            assertThat(redacted)
                .as("offset %d: base64 characters %d..%d of the value", offset, i, i + 8)
                .doesNotContain(inside.substring(i, i + 8));
          }
        }
      }
    }
  }

  @Test
  void redact_aKeyReencoded_leavesNothingOfIt() {
    byte[] key = new byte[32];
    new SplittableRandom(11).nextBytes(key);
    String fernetKey = Base64.getUrlEncoder().encodeToString(key);
    Redactor redactor =
        Redactor.builder().value("APP_ENCRYPTION_KEY", Secret.of(fernetKey)).build();
    for (String form :
        List.of(
            Base64.getEncoder().encodeToString(key),
            Base64.getEncoder().withoutPadding().encodeToString(key),
            HexFormat.of().formatHex(key),
            HexFormat.of().withUpperCase().formatHex(key))) {
      assertThat(redactor.redact("key bytes " + form + ".")).isEqualTo("key bytes ***.");
    }
  }

  @Test
  void redactor_showsNoValue_inToStringMatchesOrStreams() {
    String canary = canaries().get(0);
    Redactor redactor = Redactor.builder().value("CANARY", Secret.of(canary)).build();
    Leaks.assertNoLeak("toString()", redactor.toString(), canary);
    assertThat(redactor.toString())
        .matches("Redactor\\[values=1, forms=\\d+, tooShort=0, tracked=0]");
    List<Redactor.Match> matches = redactor.find("x" + canary + "y");
    assertThat(matches).containsExactly(new Redactor.Match(1, 1 + canary.length(), "CANARY"));
    Leaks.assertNoLeak("Match.toString()", matches.toString(), canary);
    Leaks.assertNoLeak("writer", redactor.wrap(new StringWriter()).toString(), canary);
    Leaks.assertNoLeak("reader", redactor.wrap(new StringReader(canary)).toString(), canary);
  }

  @Test
  void build_shortValue_logsItsNameOnlyAndDoesNotRedactIt() {
    try (LogCapture log = LogCapture.startAtEveryLevel()) {
      Redactor redactor =
          Redactor.builder()
              .value("DB_PASSWORD", Secret.of("hunter2"))
              .value("EMPTY", Secret.of(""))
              .value("API_KEY", Secret.of("sk-live-0123456789"))
              .build();

      assertThat(redactor.redact("hunter2 sk-live-0123456789")).isEqualTo("hunter2 ***");
      assertThat(redactor.toString()).contains("values=1", "tooShort=1");
      assertThat(log.text())
          .contains("DB_PASSWORD is shorter than 8 characters")
          .doesNotContain("EMPTY")
          .doesNotContain("API_KEY");
      Leaks.assertNoLeak("the log", log.text(), "hunter2");
      Leaks.assertNoLeak("the log", log.text(), "sk-live-0123456789");
    }
  }

  @Test
  void builder_badArguments_throwWithoutAValue() {
    Secret wiped = Secret.of("wiped-canary-value");
    wiped.wipe();
    assertThatThrownBy(() -> Redactor.builder().value("X", wiped))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Redactor.builder().value(" ", Secret.of("canary-value-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a name must not be blank");
    assertThatThrownBy(() -> Redactor.builder().value("A\nB", Secret.of("canary-value-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a name must not hold a control character");
    assertThatThrownBy(() -> Redactor.builder().minLength(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minLength must be at least 4, was 3");
    assertThatThrownBy(() -> Redactor.builder().track("X", SecretRef.parse("aws:db")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("track() needs a resolver(); none is set");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String xmlEscape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
