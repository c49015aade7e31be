package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A secret's mask is never read back as the secret: a GET's body sent back as a PUT, or {@code
 * convertValue}, would otherwise replace a stored credential with its own mask.
 */
final class SecretMaskReadingTest {
  static final String CANARY = "sk-canary-0123456789abcdefghij";

  /** Prefixes Secret shows, some it does not, and none. */
  static final List<String> PREFIXES =
      List.of(
          "",
          "sk-",
          "sk-ant-",
          "sk-proj-",
          "sk_live_",
          "rk_test_",
          "ghp_",
          "github_pat_",
          "glpat-",
          "xoxb-",
          "hf_",
          "AKIA",
          "Bearer ",
          "tok-");

  record Dto(String name, Secret apiKey) {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().addModule(LatchkeyModule.create()).build();

  private static Dto read(String apiKey) throws Exception {
    return MAPPER.readValue(
        MAPPER.writeValueAsString(MAPPER.createObjectNode().put("name", "n").put("apiKey", apiKey)),
        Dto.class);
  }

  @Test
  void read_theMaskOfAnySecret_isRefusedNamingTheProperty() {
    SplittableRandom random = new SplittableRandom(20261207L);
    for (int i = 0; i < 2_000; i++) {
      String value = PREFIXES.get(random.nextInt(PREFIXES.size())) + Leaks.randomSecret(random, 48);
      String mask = Secret.of(value).toString();

      assertThat(SecretDeserializer.isMask(mask)).as("mask #%d", i).isTrue();
      assertThatThrownBy(() -> read(mask))
          .as("mask #%d", i)
          .isInstanceOf(JsonMappingException.class)
          .hasMessageContaining(
              "property apiKey is a Secret's mask (as toString() and LatchkeyModule write it),"
                  + " not a value")
          .satisfies(t -> Leaks.assertNoLeak(t, value));
    }
  }

  @Test
  void read_valuesWithStarsElsewhere_readAsThemselves() throws Exception {
    SplittableRandom random = new SplittableRandom(7L);
    List<String> stars = List.of("*", "**", "***", "...***x", "*...*", "***...");
    for (int i = 0; i < 2_000; i++) {
      StringBuilder value =
          new StringBuilder(PREFIXES.get(random.nextInt(PREFIXES.size())))
              .append(Leaks.randomSecret(random, 40));
      int at = random.nextInt(value.length());
      if (Character.isLowSurrogate(value.charAt(at))) {
        at--; // not between the halves of a pair, which UTF-8 cannot carry
      }
      value.insert(at, stars.get(random.nextInt(stars.size())));
      // A value can only be refused for ending like a mask; keep the end a plain character.
      value.append('z');

      assertThat(read(value.toString()).apiKey().reveal()).isEqualTo(value.toString());
    }
    for (String value :
        List.of("****", "x***", "***x", "sk-***", "sk-...**", "sk-..***", "pa**word", "*")) {
      assertThat(read(value).apiKey().reveal()).as(value).isEqualTo(value);
    }
  }

  @Test
  void read_onlyPrefixesSecretShows_makeAMask() {
    assertThat(SecretDeserializer.isMask("***")).isTrue();
    assertThat(SecretDeserializer.isMask("sk-...***")).isTrue();
    assertThat(SecretDeserializer.isMask("sk-proj-...***")).isTrue();
    assertThat(SecretDeserializer.isMask("tok-...***")).isFalse();
    assertThat(SecretDeserializer.isMask("...***")).isFalse();
  }

  @Test
  void roundTrip_writtenMaskReadBack_isRefusedRatherThanOverwritingTheSecret() {
    Dto dto = new Dto("n", Secret.of(CANARY));

    assertThatThrownBy(() -> MAPPER.convertValue(dto, Dto.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("property apiKey is a Secret's mask")
        .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
    assertThatThrownBy(() -> MAPPER.readValue(MAPPER.writeValueAsString(dto), Dto.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("property apiKey is a Secret's mask")
        .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
  }

  @Test
  void read_maskAsAListElementOrARootValue_isRefusedToo() {
    assertThatThrownBy(
            () -> MAPPER.readValue("[\"sk-...***\"]", new TypeReference<List<Secret>>() {}))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("is a Secret's mask");
    assertThatThrownBy(() -> MAPPER.readValue("\"***\"", Secret.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("the string read as a Secret is a Secret's mask");
  }
}
