package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonValue#field} agrees with Jackson (set to refuse duplicate names, as I-JSON does) on
 * generated documents: the same members, the same string values, the same non-string values, a
 * {@code null} member read as absent, and the same verdict on malformed text, except that an
 * unpaired surrogate, which Jackson takes, is refused.
 */
final class JsonValueComparisonTest {
  private static final ObjectMapper JACKSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  @Test
  void generatedObjects_readLikeJackson() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      String doc = object(random, 0);
      JsonNode tree = JACKSON.readTree(doc);
      for (int k = 0; k < 6; k++) {
        String field = "k" + k;
        Optional<String> ours = JsonValue.field(doc, field);
        JsonNode theirs = tree.get(field);
        if (theirs == null || theirs.isNull()) {
          assertThat(ours).as(doc).isEmpty();
        } else if (theirs.isTextual()) {
          assertThat(ours).as(doc).contains(theirs.textValue());
        } else {
          assertThat(JACKSON.readTree(ours.orElseThrow())).as(doc).isEqualTo(theirs);
        }
      }
    }
  }

  @Test
  void mutatedObjects_areRejectedWhenJacksonRejectsThem() throws Exception {
    Random random = new Random(7);
    int rejected = 0;
    for (int i = 0; i < 3_000; i++) {
      StringBuilder doc = new StringBuilder(object(random, 0));
      int at = random.nextInt(doc.length());
      switch (random.nextInt(3)) {
        case 0 -> doc.deleteCharAt(at);
        case 1 -> doc.insert(at, "{}[]\",:x0-.e\\ ".charAt(random.nextInt(14)));
        default -> doc.setCharAt(at, "{}[]\",:x0-.e\\ ".charAt(random.nextInt(14)));
      }
      String text = doc.toString();
      boolean jacksonAccepts;
      try {
        jacksonAccepts = JACKSON.readTree(text).isObject();
      } catch (JsonProcessingException e) {
        jacksonAccepts = false;
      }
      if (jacksonAccepts) {
        try {
          JsonValue.field(text, "k0");
        } catch (IllegalArgumentException e) {
          assertThat(e.getMessage()).as(text).endsWith("has an unpaired surrogate");
        }
      } else {
        rejected++;
        assertThatThrownBy(() -> JsonValue.field(text, "k0"))
            .as(text)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
    assertThat(rejected).isGreaterThan(1_000);
  }

  private static String object(Random random, int depth) {
    StringBuilder out = new StringBuilder("{");
    int members = random.nextInt(depth == 0 ? 7 : 3);
    List<Integer> keys = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
    Collections.shuffle(keys, random);
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        out.append(random.nextBoolean() ? "," : " ,\n ");
      }
      out.append("\"k").append(keys.get(i)).append('"').append(random.nextBoolean() ? ":" : " : ");
      out.append(value(random, depth + 1));
    }
    return out.append('}').toString();
  }

  private static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 5 : 7);
    return switch (kind) {
      case 0 -> string(random);
      case 1 -> String.valueOf(random.nextInt(2_000_000) - 1_000_000);
      case 2 ->
          (random.nextBoolean() ? "-" : "")
              + random.nextInt(100)
              + "."
              + random.nextInt(1000)
              + "e-"
              + random.nextInt(9);
      case 3 -> random.nextBoolean() ? "true" : "false";
      case 4 -> "null";
      case 5 -> object(random, depth);
      default -> {
        StringBuilder array = new StringBuilder("[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.append(i > 0 ? "," : "").append(value(random, depth + 1));
        }
        yield array.append(']').toString();
      }
    };
  }

  private static String string(Random random) {
    String[] pieces = {
      "a",
      "Z",
      " ",
      "\\n",
      "\\\"",
      "\\\\",
      "\\/",
      "\\u00e9",
      "\\ud83d\\ude00",
      "é",
      "€",
      "\\t",
      "#",
      "@"
    };
    StringBuilder out = new StringBuilder("\"");
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.append('"').toString();
  }
}
