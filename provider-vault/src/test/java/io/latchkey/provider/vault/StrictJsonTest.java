package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The strict reader takes each JSON type for itself only. */
final class StrictJsonTest {
  private static final SecretRef REF = SecretRef.parse("vault:secret/data/app#k");

  private static StrictJson parse(String json) {
    return StrictJson.parse(REF, json.getBytes(StandardCharsets.UTF_8), "the test");
  }

  private static ProviderException malformed(Runnable read) {
    ProviderException e = catchThrowableOfType(ProviderException.class, read::run);
    assertThat(e).isNotNull();
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    return e;
  }

  @Test
  void integer_integralNumber_isRead() {
    assertThat(parse("{\"n\":3}").integer("n")).isEqualTo(3);
    assertThat(parse("{\"n\":9007199254740993}").integer("n")).isEqualTo(9007199254740993L);
  }

  @Test
  void integer_fractionStringBooleanOrHuge_isMalformed() {
    for (String v : new String[] {"2.7", "2.0", "1e3", "\"2\"", "true", "99999999999999999999"}) {
      ProviderException e = malformed(() -> parse("{\"n\":" + v + "}").integer("n"));
      assertThat(e.reason()).isEqualTo("Vault's answer to the test does not have an integer at n");
    }
  }

  @Test
  void bool_stringOrNumber_isMalformed() {
    assertThat(parse("{\"b\":false}").bool("b")).isFalse();
    malformed(() -> parse("{\"b\":\"true\"}").bool("b"));
    malformed(() -> parse("{\"b\":1}").bool("b"));
    malformed(() -> parse("{}").bool("b"));
  }

  @Test
  void text_numberOrObject_isMalformed_andOptionalNullIsEmpty() {
    assertThat(parse("{\"s\":\"x\"}").text("s")).isEqualTo("x");
    assertThat(parse("{\"s\":null}").optionalText("s")).isEmpty();
    malformed(() -> parse("{\"s\":5}").text("s"));
    malformed(() -> parse("{\"s\":{}}").optionalText("s"));
  }

  @Test
  void nestedObject_wrongType_namesThePath_notTheContent() {
    StrictJson root = parse("{\"a\":{\"b\":{\"c\":\"sk-secret-value\"}}}");
    ProviderException e = malformed(() -> root.object("a").object("b").integer("c"));
    assertThat(e.reason())
        .isEqualTo("Vault's answer to the test does not have an integer at a.b.c");
    assertThat(e.getMessage()).doesNotContain("sk-secret");
  }
}
