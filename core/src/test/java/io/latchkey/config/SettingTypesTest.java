package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting type: what it accepts, what it returns, and what it says about bad input. */
final class SettingTypesTest {
  enum Mode {
    READ_ONLY,
    READ_WRITE
  }

  enum Empty {}

  private static <T> T load(Setting<T> setting, String text) {
    ConfigSource source = ConfigSource.of(Map.of(setting.name(), text), Origin.Kind.ENV);
    return ConfigSchema.builder().add(setting).build().load(source).get(setting);
  }

  /** Loads a bad value and returns the one problem's reason, checking it names the setting. */
  private static String problem(Setting<?> setting, String text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(setting, text));
    assertThat(e).as("loading %s", setting).isNotNull();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo(setting.name());
    return e.problems().get(0).reason();
  }

  @Test
  void string_keepsTheTextVerbatim() {
    Setting<String> s = Setting.string("NAME").build();
    assertThat(load(s, "  two words  ")).isEqualTo("  two words  ");
    assertThat(s.type()).isEqualTo("string");
    assertThat(s.javaType()).isEqualTo(String.class);
  }

  @Test
  void integer_parsesDecimalsAroundWhitespace() {
    Setting<Integer> s = Setting.integer("N").build();
    assertThat(load(s, "42")).isEqualTo(42);
    assertThat(load(s, " -7 ")).isEqualTo(-7);
    assertThat(load(s, "+3")).isEqualTo(3);
    assertThat(load(s, "2147483647")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void integer_badText_saysWhatIsWrongAndWhatWasExpected() {
    Setting<Integer> s = Setting.integer("N").build();
    assertThat(problem(s, "abc"))
        .isEqualTo("'abc' is not an integer; expected an integer (from env)");
    assertThat(problem(s, "1.5")).startsWith("'1.5' is not an integer");
    assertThat(problem(s, "2147483648")).startsWith("'2147483648' is greater than 2147483647");
    assertThat(problem(s, "99999999999999999999"))
        .startsWith("'99999999999999999999' is too large");
  }

  @Test
  void integer_outOfRange_namesTheBound() {
    Setting<Integer> s = Setting.integer("WORKERS", 1, 64).build();
    assertThat(load(s, "1")).isEqualTo(1);
    assertThat(load(s, "64")).isEqualTo(64);
    assertThat(problem(s, "0"))
        .isEqualTo("'0' is less than 1; expected an integer from 1 to 64 (from env)");
    assertThat(problem(s, "65"))
        .isEqualTo("'65' is greater than 64; expected an integer from 1 to 64 (from env)");
    assertThat(s.typeDescription()).isEqualTo("integer (1 to 64)");
    assertThat(Setting.integer("N", 0, Integer.MAX_VALUE).build().typeDescription())
        .isEqualTo("integer (at least 0)");
    assertThat(Setting.integer("N", Integer.MIN_VALUE, 9).build().typeDescription())
        .isEqualTo("integer (at most 9)");
    assertThatThrownBy(() -> Setting.integer("N", 5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min 5 is greater than max 4");
  }

  @Test
  void port_acceptsOneTo65535Only() {
    Setting<Integer> s = Setting.port("PORT").build();
    assertThat(load(s, "1")).isEqualTo(1);
    assertThat(load(s, "65535")).isEqualTo(65535);
    assertThat(problem(s, "0"))
        .isEqualTo("'0' is less than 1; expected a port number from 1 to 65535 (from env)");
    assertThat(problem(s, "65536")).startsWith("'65536' is greater than 65535");
    assertThat(problem(s, "http")).startsWith("'http' is not an integer");
  }

  @Test
  void bool_acceptsSixWordsInAnyCase() {
    Setting<Boolean> s = Setting.bool("DEBUG").build();
    for (String yes : List.of("true", "TRUE", "Yes", "1", " true ")) {
      assertThat(load(s, yes)).as(yes).isTrue();
    }
    for (String no : List.of("false", "False", "NO", "0")) {
      assertThat(load(s, no)).as(no).isFalse();
    }
  }

  @Test
  void bool_anythingElse_isAnErrorListingTheAcceptedWords() {
    Setting<Boolean> s = Setting.bool("DEBUG").build();
    assertThat(problem(s, "ture"))
        .isEqualTo(
            "'ture' is not a boolean; expected one of true, false, yes, no, 1, 0 (any case)"
                + " (from env)");
    assertThat(problem(s, "on")).startsWith("'on' is not a boolean");
    assertThat(problem(s, "2")).startsWith("'2' is not a boolean");
  }

  @Test
  void duration_acceptsUnitsAndIso8601() {
    Setting<Duration> s = Setting.duration("TIMEOUT").build();
    assertThat(load(s, "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(load(s, "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(load(s, "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(load(s, "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(load(s, "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(load(s, "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(load(s, "10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(load(s, "PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(load(s, "pt1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(load(s, "P1DT2H")).isEqualTo(Duration.ofHours(26));
    assertThat(load(s, "0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void duration_badText_saysWhatIsWrong() {
    Setting<Duration> s = Setting.duration("TIMEOUT").build();
    assertThat(problem(s, "30"))
        .isEqualTo(
            "'30' has no unit; expected a duration such as 500ms, 30s, 5m, 2h, 1d, or ISO-8601"
                + " such as PT30S (from env)");
    assertThat(problem(s, "30x")).startsWith("'30x' has an unknown unit (use ms, s, m, h or d)");
    assertThat(problem(s, "thirty")).startsWith("'thirty' is not a duration");
    assertThat(problem(s, "5s3")).startsWith("'5s3' has no unit");
    assertThat(problem(s, "-5s")).startsWith("'-5s' is not a duration");
    assertThat(problem(s, "PT-5S")).startsWith("'PT-5S' is negative");
    assertThat(problem(s, "PT")).startsWith("'PT' is not a duration");
    assertThat(problem(s, "999999999999999999d")).startsWith("'999999999999999999d' is too long");
  }

  @Test
  void uri_acceptsAbsoluteUrisOfAllowedSchemes() {
    Setting<URI> any = Setting.uri("URL").build();
    assertThat(load(any, "https://example.com/x")).isEqualTo(URI.create("https://example.com/x"));
    assertThat(load(any, "mailto:ops@example.com")).isEqualTo(URI.create("mailto:ops@example.com"));
    Setting<URI> https = Setting.uri("URL", "https").build();
    assertThat(load(https, "HTTPS://example.com")).isEqualTo(URI.create("HTTPS://example.com"));
    assertThat(https.typeDescription()).isEqualTo("URI (https)");
  }

  @Test
  void uri_badText_saysWhatIsWrong() {
    Setting<URI> s = Setting.uri("URL", "https", "http").build();
    assertThat(problem(s, "not a uri"))
        .isEqualTo(
            "'not a uri' is not a valid URI (Illegal character in path); expected an absolute URI"
                + " with scheme https or http (from env)");
    assertThat(problem(s, "example.com/x")).startsWith("'example.com/x' is not an absolute URI");
    assertThat(problem(s, "ftp://example.com"))
        .startsWith("'ftp://example.com' has a scheme that is not allowed");
    assertThatThrownBy(() -> Setting.uri("URL", "1http"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'1http' is not a URI scheme");
    assertThatThrownBy(() -> Setting.uri("URL", "https", "HTTPS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheme 'HTTPS' is listed twice");
  }

  @Test
  void enumeration_matchesAnyCaseWithHyphensForUnderscores() {
    Setting<Mode> s = Setting.enumeration("MODE", Mode.class).build();
    assertThat(load(s, "read_only")).isEqualTo(Mode.READ_ONLY);
    assertThat(load(s, "READ-WRITE")).isEqualTo(Mode.READ_WRITE);
    assertThat(load(s, " Read_Only ")).isEqualTo(Mode.READ_ONLY);
    assertThat(s.typeDescription()).isEqualTo("one of read_only, read_write");
    assertThat(problem(s, "write"))
        .isEqualTo(
            "'write' is not an allowed value; expected one of read_only, read_write (any case)"
                + " (from env)");
    assertThatThrownBy(() -> Setting.enumeration("E", Empty.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no constants");
  }

  @Test
  void oneOf_returnsTheDeclaredSpelling() {
    Setting<String> s = Setting.oneOf("LEVEL", "debug", "info", "Warn").build();
    assertThat(load(s, "DEBUG")).isEqualTo("debug");
    assertThat(load(s, "warn")).isEqualTo("Warn");
    assertThat(problem(s, "trace"))
        .isEqualTo(
            "'trace' is not an allowed value; expected one of debug, info, Warn (any case)"
                + " (from env)");
    assertThatThrownBy(() -> Setting.oneOf("LEVEL", "a", "A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowed value 'A' is listed twice");
    assertThatThrownBy(() -> Setting.oneOf("LEVEL"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an enum needs at least one allowed value");
    assertThatThrownBy(() -> Setting.oneOf("LEVEL", " a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrounding whitespace");
  }

  @Test
  void list_trimsEntries() {
    Setting<List<String>> s = Setting.list("HOSTS").build();
    assertThat(load(s, "a, b ,c")).containsExactly("a", "b", "c");
    assertThat(load(s, "single")).containsExactly("single");
    assertThatThrownBy(() -> load(s, "a,b").add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void list_emptyEntry_isAnError() {
    Setting<List<String>> s = Setting.list("HOSTS").build();
    assertThat(problem(s, "a,,b"))
        .isEqualTo(
            "'a,,b' has an empty entry (entry 2); expected a comma-separated list whose entries"
                + " are each a string (from env)");
    assertThat(problem(s, "a, ")).startsWith("'a, ' has an empty entry (entry 2)");
    assertThat(problem(s, ",a")).startsWith("',a' has an empty entry (entry 1)");
  }

  @Test
  void list_ofAnElementType_parsesEachEntry() {
    assertThat(load(Setting.list("N", Integer.class).build(), "1, 2,3")).containsExactly(1, 2, 3);
    assertThat(load(Setting.list("D", Duration.class).build(), "1s,5m"))
        .containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(load(Setting.list("M", Mode.class).build(), "read-only, READ_WRITE"))
        .containsExactly(Mode.READ_ONLY, Mode.READ_WRITE);
    assertThat(load(Setting.list("U", URI.class).build(), "https://a,https://b"))
        .containsExactly(URI.create("https://a"), URI.create("https://b"));
    assertThat(load(Setting.list("B", Boolean.class).build(), "yes,0"))
        .containsExactly(true, false);
    assertThat(problem(Setting.list("N", Integer.class).build(), "1,x"))
        .isEqualTo(
            "'1,x' has an invalid entry 2, which is not an integer; expected a comma-separated"
                + " list whose entries are each an integer (from env)");
    assertThatThrownBy(() -> Setting.list("S", Secret.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a list cannot hold io.latchkey.Secret");
  }

  @Test
  void secret_keepsTheTextAndMasksIt() {
    Setting<Secret> s = Setting.secret("API_KEY").build();
    Secret value = load(s, " pass word ");
    assertThat(value.reveal()).isEqualTo(" pass word ");
    assertThat(value).hasToString("***");
    assertThat(s.isSecret()).isTrue();
  }

  @Test
  void fernetKey_acceptsBothBase64AlphabetsAndChecksTheShape() {
    Setting<Secret> s = Setting.fernetKey("KEY").build();
    String urlSafe = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    assertThat(load(s, urlSafe).reveal()).isEqualTo(urlSafe);
    assertThat(load(s, " " + urlSafe + "\n").reveal()).isEqualTo(urlSafe);
    String standard = urlSafe.replace('_', '/').replace('-', '+');
    assertThat(load(s, standard).reveal()).isEqualTo(standard);
    assertThat(s.isSecret()).isTrue();
  }

  @Test
  void fernetKey_badShape_saysWhatIsWrongWithoutTheValue() {
    Setting<Secret> s = Setting.fernetKey("KEY").build();
    String expected =
        "; expected a Fernet key (32 bytes of URL-safe base64, 44 characters), such as one"
            + " printed by 'latchkey keygen' (from env)";
    // One reason for every bad shape: neither the length nor which character is wrong.
    String reason = "is not 44 characters of URL-safe base64";
    assertThat(problem(s, "short-key-12")).isEqualTo(reason + expected);
    assertThat(problem(s, "x")).isEqualTo(reason + expected);
    String bad = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e!=";
    assertThat(problem(s, bad)).isEqualTo(reason + expected);
    // 'f' leaves non-zero unused bits: another spelling of some key, never what keygen prints.
    String nonCanonical = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4f";
    assertThat(problem(s, nonCanonical)).isEqualTo(reason + expected);
    assertThat(problem(s, "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4f=".substring(1)))
        .isEqualTo(reason + expected);
  }

  @Test
  void custom_parsesWithTheGivenFunction() {
    Setting<Double> s = Setting.custom("RATIO", Double.class, "decimal", Double::valueOf).build();
    assertThat(load(s, " 0.25 ")).isEqualTo(0.25);
    assertThat(s.type()).isEqualTo("decimal");
    assertThat(problem(s, "half"))
        .isEqualTo(
            "'half' is not a valid decimal (NumberFormatException); expected a valid decimal"
                + " (from env)");
    Setting<String> nulls = Setting.custom("X", String.class, "thing", t -> null).build();
    assertThat(problem(nulls, "a")).startsWith("'a' is not a valid thing;");
    assertThatThrownBy(() -> Setting.custom("X", String.class, " ", t -> t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("typeName must not be blank");
  }

  @Test
  void blankValue_countsAsUnset() {
    Setting<Integer> withDefault = Setting.port("PORT").defaultValue(8080).build();
    assertThat(load(withDefault, "  ")).isEqualTo(8080);
    Setting<Integer> required = Setting.port("PORT").build();
    assertThat(problem(required, ""))
        .isEqualTo("is empty; expected a port number from 1 to 65535 (from env)");
  }

  @Test
  void defaults_areParsedAndCheckedWhenDeclared() {
    assertThat(Setting.duration("T").defaultText("1m").build().defaultValue())
        .contains(Duration.ofMinutes(1));
    assertThat(Setting.duration("T").defaultValue(Duration.ofSeconds(90)).build().defaultText())
        .contains("90s");
    assertThat(Setting.list("L").defaultValue(List.of("a", "b")).build().defaultText())
        .contains("a,b");
    assertThat(
            Setting.enumeration("M", Mode.class).defaultValue(Mode.READ_ONLY).build().defaultText())
        .contains("read_only");
    assertThatThrownBy(() -> Setting.port("PORT").defaultText("eighty"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT: default is not an integer; expected a port number from 1 to 65535");
    assertThatThrownBy(() -> Setting.port("PORT").defaultValue(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PORT: default is greater than 65535");
    assertThatThrownBy(() -> Setting.port("PORT").examples("8080", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PORT: example is not an integer");
  }

  @Test
  void secrets_cannotHaveDefaults() {
    assertThatThrownBy(() -> Setting.secret("API_KEY").defaultText("dev-key").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("API_KEY: a secret cannot have a default; make it required or optional");
    assertThatThrownBy(() -> Setting.string("TOKEN").defaultText("x").secret().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a secret cannot have a default");
  }

  @Test
  void names_mustBeEnvironmentVariableNames() {
    for (String bad : List.of("", "1PORT", "MY-PORT", "my.port", "PORT ")) {
      assertThatThrownBy(() -> Setting.port(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a valid setting name");
    }
    assertThat(Setting.port("_port_2").build().name()).isEqualTo("_port_2");
    assertThatThrownBy(() -> Setting.port("PORT").aliases("PORT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT: alias PORT is listed twice");
    assertThatThrownBy(() -> Setting.port("PORT").aliases("A", "A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT: alias A is listed twice");
    assertThatThrownBy(() -> Setting.port("PORT").aliases("OLD-PORT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "PORT: the alias given is not a valid setting name (not shown, in case it is a"
                + " value): use letters, digits and underscores, not starting with a digit");
    assertThatThrownBy(() -> Setting.port("PORT").group(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT: group must not be blank");
  }

  @Test
  void setting_describesItselfWithoutValues() {
    Setting<Integer> s =
        Setting.port("PORT").defaultValue(8080).description(" Port. ").examples("80").build();
    assertThat(s).hasToString("Setting[PORT: port]");
    assertThat(s.description()).isEqualTo("Port.");
    assertThat(s.group()).isEqualTo("General");
    assertThat(s.isRequired()).isFalse();
    assertThat(s.isDerived()).isFalse();
    assertThat(s.examples()).containsExactly("80");
    assertThat(s.inputs()).isEmpty();
    assertThat(s.derivation()).isEmpty();
    assertThat(Setting.port("PORT").build().isRequired()).isTrue();
    assertThat(Setting.port("PORT").optional().build().isRequired()).isFalse();
  }

  @Test
  void formatDuration_writesWhatParseDurationReads_inTheLargestWholeUnit() {
    for (String text : java.util.List.of("0s", "1500ms", "90s", "2m", "1h", "1d", "36h")) {
      java.time.Duration d = Setting.parseDuration(text);
      assertThat(Setting.parseDuration(Setting.formatDuration(d))).isEqualTo(d);
    }
    assertThat(Setting.formatDuration(java.time.Duration.ofSeconds(90).multipliedBy(2)))
        .isEqualTo("3m");
    assertThat(Setting.formatDuration(java.time.Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Setting.formatDuration(java.time.Duration.ofHours(24).multipliedBy(2)))
        .isEqualTo("2d");
  }
}
