package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The redactor's entry points and its choices where occurrences meet. */
final class RedactorTest {
  private static final String KEY = "sk-live-4f7Qx9Lm2Zp8";
  private static final String TOKEN = "Zp8-tail-token-77";

  private static Redactor named() {
    return Redactor.builder()
        .value("API_KEY", Secret.of(KEY))
        .value("TOKEN", Secret.of(TOKEN))
        .value("SHORTER", Secret.of("sk-live-4f7"))
        .mask(Redactor.Mask.NAME)
        .build();
  }

  @Test
  void redact_masks_asStarsByDefault_orByName() {
    Redactor stars = Redactor.builder().value("API_KEY", Secret.of(KEY)).build();
    assertThat(stars.redact("key=" + KEY + "&x=1")).isEqualTo("key=***&x=1");
    assertThat(named().redact("key=" + KEY + "&x=1")).isEqualTo("key=[API_KEY]&x=1");
  }

  @Test
  void redact_valueInsideALongerOne_isNamedAfterTheLongest() {
    assertThat(named().redact("a " + KEY + " b sk-live-4f7 c"))
        .isEqualTo("a [API_KEY] b [SHORTER] c");
  }

  @Test
  void redact_overlappingValues_masksBothWholeUnderTheLeftmostName() {
    // KEY ends with "Zp8", with which TOKEN begins: nothing of either may show.
    String text = "x sk-live-4f7Qx9Lm2Zp8-tail-token-77 y";
    assertThat(named().redact(text)).isEqualTo("x [API_KEY] y");
    assertThat(named().find(text))
        .containsExactly(new Redactor.Match(2, text.length() - 2, "API_KEY"));
  }

  @Test
  void redact_adjacentValues_areMaskedOneByOne() {
    assertThat(named().redact(KEY + TOKEN + KEY)).isEqualTo("[API_KEY][TOKEN][API_KEY]");
  }

  @Test
  void redact_anyCharSequence_isRead() {
    assertThat(named().redact(CharBuffer.wrap("<" + TOKEN + ">"))).isEqualTo("<[TOKEN]>");
    StringBuilder builder = new StringBuilder("<" + TOKEN + ">");
    assertThat(named().redact(builder)).isEqualTo("<[TOKEN]>");
    assertThat(builder).hasToString("<" + TOKEN + ">");
  }

  @Test
  void redact_emptyTextOrNoValues_returnsTheText() {
    String text = "nothing to see " + KEY;
    assertThat(named().redact("")).isEmpty();
    assertThat(Redactor.builder().build().redact(text)).isSameAs(text);
    assertThat(Redactor.builder().build().find(text)).isEmpty();
  }

  @Test
  void redactWithACharset_findsAValueAsACharsetThatLacksOneOfItsCharactersLeftIt() {
    // One character outside US-ASCII and ISO-8859-1 alike; an encoder writes '?' in its place.
    String value = "Kennwort-\u20ac-geheim-2024";
    Redactor redactor = Redactor.builder().value("DB_PASSWORD", Secret.of(value)).build();
    String written = "password Kennwort-?-geheim-2024\n";

    assertThat(redactor.redact(written, StandardCharsets.US_ASCII)).isEqualTo("password ***\n");
    assertThat(redactor.redact(written, StandardCharsets.ISO_8859_1)).isEqualTo("password ***\n");
    // Inside a JSON string too: JSON encoders write such a character as it is, unescaped.
    assertThat(redactor.redact("{\"p\":\"Kennwort-?-geheim-2024\"}", StandardCharsets.US_ASCII))
        .isEqualTo("{\"p\":\"***\"}");
    // The value itself is still found, and without the charset the lossy form is not.
    assertThat(redactor.redact("x " + value, StandardCharsets.US_ASCII)).isEqualTo("x ***");
    assertThat(redactor.redact(written)).isSameAs(written);
    assertThat(redactor.redact(written, StandardCharsets.UTF_8)).isSameAs(written);
  }

  @Test
  void redactWithACharsetThatEncodesEveryForm_usesTheSameAutomaton() {
    Redactor redactor = named();
    Catalog catalog = redactor.catalog();

    assertThat(catalog.automaton(StandardCharsets.UTF_8)).isSameAs(catalog.automaton);
    assertThat(catalog.automaton(StandardCharsets.US_ASCII)).isSameAs(catalog.automaton);
    assertThat(redactor.redact("key=" + KEY, StandardCharsets.US_ASCII)).isEqualTo("key=[API_KEY]");
    String clean = "nothing to see";
    assertThat(redactor.redact(clean, StandardCharsets.US_ASCII)).isSameAs(clean);
  }

  @Test
  void redactInPlace_masksFromTheIndexOn() {
    StringBuilder buffer = new StringBuilder("earlier " + KEY + " | event " + KEY + " " + TOKEN);
    int from = buffer.indexOf("|");

    assertThat(named().redact(buffer, from)).isEqualTo(2);

    assertThat(buffer).hasToString("earlier " + KEY + " | event [API_KEY] [TOKEN]");
    assertThat(named().redact(buffer, buffer.length())).isZero();
    assertThatThrownBy(() -> named().redact(buffer, buffer.length() + 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> named().redact(buffer, -1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void minLength_lowered_redactsShorterValues() {
    Redactor redactor = Redactor.builder().minLength(6).value("PIN", Secret.of("493817")).build();
    assertThat(redactor.redact("pin 493817")).isEqualTo("pin ***");
    assertThat(Redactor.builder().value("PIN", Secret.of("493817")).build().redact("pin 493817"))
        .isEqualTo("pin 493817");
  }

  @Test
  void match_checksItsBounds() {
    assertThatThrownBy(() -> new Redactor.Match(3, 3, "X"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Redactor.Match(-1, 3, "X"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
