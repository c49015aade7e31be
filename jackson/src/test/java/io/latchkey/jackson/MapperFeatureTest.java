package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.Leaks;
import org.junit.jupiter.api.Test;

/** Mapper settings that hide members or annotations from Jackson do not switch the module off. */
final class MapperFeatureTest {
  static final String PASSWORD = "canary-password-5d8e1f";
  static final String STATE = "canary-state-0a9b7c";
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  /** A marked private field behind a public getter. */
  static final class Bean {
    @NeverSerialize private final String password = PASSWORD;
    public String name = "acme";

    public String getPassword() {
      return password;
    }
  }

  /** The mark on the getter, under a name Jackson lower-cases. */
  static final class Getter {
    private final String url = PASSWORD;
    public String name = "acme";

    @NeverSerialize
    public String getURL() {
      return url;
    }
  }

  /** Inherited: the mark sits in the superclass. */
  static final class Child extends Parent {
    public String name = "acme";
  }

  static class Parent {
    @NeverSerialize private final String password = PASSWORD;

    public String getPassword() {
      return password;
    }
  }

  static final class Enc {
    @JsonEncrypted public String state = STATE;
  }

  record Plain(String name) {}

  private static ObjectMapper mapper(MapperFeature disabled) {
    return JsonMapper.builder()
        .addModule(LatchkeyModule.builder().keyRing(RING).build())
        .disable(disabled)
        .build();
  }

  @Test
  void write_inferPropertyMutatorsOff_stillDropsTheMarkedProperty() throws Exception {
    ObjectMapper mapper = mapper(MapperFeature.INFER_PROPERTY_MUTATORS);

    for (Object value : new Object[] {new Bean(), new Getter(), new Child()}) {
      String json = mapper.writeValueAsString(value);
      assertThat(json).as(value.getClass().getSimpleName()).isEqualTo("{\"name\":\"acme\"}");
      Leaks.assertNoLeak("JSON", json, PASSWORD);
    }
  }

  @Test
  void write_useAnnotationsOff_refusesClassesWithMarkedMembers() throws Exception {
    ObjectMapper mapper = mapper(MapperFeature.USE_ANNOTATIONS);

    for (Object value : new Object[] {new Bean(), new Child(), new Enc()}) {
      assertThatThrownBy(() -> mapper.writeValueAsString(value))
          .as(value.getClass().getSimpleName())
          .isInstanceOf(InvalidDefinitionException.class)
          .hasMessageContaining(
              value.getClass().getName()
                  + " has @NeverSerialize or @JsonEncrypted members, which LatchkeyModule cannot"
                  + " enforce with MapperFeature.USE_ANNOTATIONS disabled")
          .satisfies(t -> Leaks.assertNoLeak(t, PASSWORD))
          .satisfies(t -> Leaks.assertNoLeak(t, STATE));
    }
    assertThat(mapper.writeValueAsString(new Plain("p"))).isEqualTo("{\"name\":\"p\"}");
  }

  @Test
  void read_useAnnotationsOff_refusesAPlaintextWhereATokenBelongs() {
    ObjectMapper mapper = mapper(MapperFeature.USE_ANNOTATIONS);

    assertThatThrownBy(() -> mapper.readValue("{\"state\":\"" + STATE + "\"}", Enc.class))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining(Enc.class.getName() + " has @JsonEncrypted members")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE));
  }
}
