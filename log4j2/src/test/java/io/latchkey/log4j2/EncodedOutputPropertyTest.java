package io.latchkey.log4j2;

import static io.latchkey.log4j2.RedactingPatternConverterTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;

/**
 * Every escaping mode of Log4j's {@code %enc{...}} inside {@code %redact{...}}: Log4j's own
 * escaping of each random value is the oracle, so a mode the redactor does not know fails here.
 */
final class EncodedOutputPropertyTest {
  private static final long SEED = 0x1e4c0dedL;
  private static final int VALUES = 300;

  /** The characters each mode escapes, every kind of control character, and some plain ones. */
  private static final String ALPHABET =
      "aB3xZ9/'&<>\"\\=+%:;#?@ \n\r\t\b\f\u0001\u000b\u001b\u007f\u0085\u009fé€";

  private static final List<String> MODES = List.of("", "{HTML}", "{JSON}", "{XML}", "{CRLF}");

  private static String layout(String pattern, LogEvent event) {
    return PatternLayout.newBuilder()
        .setPattern(pattern)
        .setConfiguration(new DefaultConfiguration())
        .setAlwaysWriteExceptions(false)
        .build()
        .toSerializable(event);
  }

  static String randomValue(SplittableRandom random) {
    StringBuilder value = new StringBuilder();
    int length = 10 + random.nextInt(20);
    for (int i = 0; i < length; i++) {
      value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return value.toString();
  }

  @Test
  void redactAroundEnc_everyModeAndRandomValue_showsNeitherTheValueNorItsEncodedForm() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int n = 0; n < VALUES; n++) {
      String value = randomValue(random);
      Redactor redactor = Redactor.builder().value("VALUE", Secret.of(value)).build();
      LatchkeyLog4j2 installed = LatchkeyLog4j2.install(redactor);
      try {
        for (String mode : MODES) {
          String encoded = layout("%enc{%m}" + mode, event("{}", null, value));
          String text = layout("%redact{%enc{%m}" + mode + "%n}", event("key is {}!", null, value));

          assertThat(text.contains(encoded))
              .as("value %d under %%enc%s shows encoded", n, mode)
              .isFalse();
          assertThat(text).as("value %d under %%enc%s", n, mode).startsWith("key is ***");
          Leaks.assertNoLeak("value " + n + " under %enc" + mode, text, value);
        }
      } finally {
        installed.close();
      }
    }
  }
}
