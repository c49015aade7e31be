package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.ConstructorDetector;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.SwappableKeyRing;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.MigrationKeyRing;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.crypto.apikey.ApiKeyVerifier;
import io.latchkey.crypto.signing.SigningKeyRing;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonSecretView;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mapper that builds every creator from properties ({@code
 * ConstructorDetector.USE_PROPERTIES_BASED}; Spring Boot: {@code
 * spring.jackson.constructor-detector=use-properties-based}) with parameter names known (Spring
 * Boot registers the parameter-names module by default; Latchkey is compiled with {@code
 * -parameters}) takes the refusing {@code @JsonCreator fromJson(Object ignored)} of a holder of a
 * key or value for a properties-based creator, and refuses a JSON string itself, quoting it. (The
 * creator cannot say {@code mode = DELEGATING}: an enum constant in an annotation from the optional
 * jackson-annotations makes javac warn in every project that compiles against Latchkey without
 * Jackson.) With {@link LatchkeyModule} registered, the module's reader refuses every holder first,
 * whatever the detector, without quoting.
 */
final class PropertiesBasedMapperTest {
  record FernetSettings(String name, FernetKey key) {}

  /**
   * What Spring Boot's mapper does with the parameter-names module and the detector property, with
   * Latchkey's module registered.
   */
  private static ObjectMapper propertiesBasedMapper() {
    return JsonMapper.builder()
        .addModule(LatchkeyModule.create())
        .constructorDetector(ConstructorDetector.USE_PROPERTIES_BASED)
        .annotationIntrospector(
            new JacksonAnnotationIntrospector() {
              private static final long serialVersionUID = 1L;

              @Override
              public String findImplicitPropertyName(AnnotatedMember member) {
                // As ParameterNamesAnnotationIntrospector does: the name javac -parameters kept.
                if (member instanceof AnnotatedParameter p
                    && p.getOwner().getMember() instanceof Executable e
                    && e.getParameters()[p.getIndex()].isNamePresent()) {
                  return e.getParameters()[p.getIndex()].getName();
                }
                return super.findImplicitPropertyName(member);
              }
            })
        .build();
  }

  @Test
  void fernetKeyInASettingsRecord_withAPropertiesBasedMapper_failureDoesNotQuoteTheKey() {
    String key = FernetKey.generate().encoded().reveal();
    String json = "{\"name\":\"n\",\"key\":\"" + key + "\"}";
    Throwable thrown =
        catchThrowable(() -> propertiesBasedMapper().readValue(json, FernetSettings.class));
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak(thrown, key);
  }

  @Test
  void everyHolder_readFromAJsonString_withAPropertiesBasedMapper_doesNotQuoteIt() {
    String value = AesGcmKey.generate().encoded().reveal();
    ObjectMapper mapper = propertiesBasedMapper();
    List<String> leaking = new ArrayList<>();
    for (Class<?> type :
        List.of(
            FernetKey.class,
            AesGcmKey.class,
            FernetKeyRing.class,
            AesGcmKeyRing.class,
            MigrationKeyRing.class,
            SwappableAeadKeyRing.class,
            SigningKeyRing.class,
            ApiKeyVerifier.class,
            SwappableKeyRing.class,
            Config.class,
            ConfigValue.class,
            KeyList.class,
            SecretVersion.class,
            JsonValue.class,
            JsonSecretView.class,
            Http1Client.Request.class,
            Http1Client.Response.class)) {
      Throwable thrown = catchThrowable(() -> mapper.readValue("\"" + value + "\"", type));
      assertThat(thrown).as(type.getName()).isNotNull();
      if (Leaks.texts(thrown).stream().anyMatch(t -> Leaks.findLeak(t, value) != null)) {
        leaking.add(type.getSimpleName());
      }
    }
    assertThat(leaking).as("holders whose refusal quotes the JSON string").isEmpty();
  }
}
