package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a type that holds a key or a value from JSON, as a request body or a JSON settings file
 * bound to a record with such a component does. Jackson writes these types as their masked {@code
 * toString()}; reading one is refused, by the type's own creator, with a message that names the
 * type and never quotes the JSON: Jackson's own refusal, without a creator, quotes the JSON string,
 * which would be the key.
 */
final class JsonReadTest {
  record FernetSettings(String name, FernetKey key) {}

  record AesSettings(String name, AesGcmKey key) {}

  @Test
  void read_fernetKeyFromJson_failureDoesNotQuoteTheKey() {
    String key = FernetKey.generate().encoded().reveal();
    String json = "{\"name\":\"n\",\"key\":\"" + key + "\"}";
    assertThatThrownBy(() -> new ObjectMapper().readValue(json, FernetSettings.class))
        .satisfies(t -> Leaks.assertNoLeak(t, key))
        .hasMessageContaining("io.latchkey.crypto.FernetKey is not read from JSON");
  }

  @Test
  void read_aesGcmKeyFromJson_failureDoesNotQuoteTheKey() {
    String key = AesGcmKey.generate().encoded().reveal();
    String json = "{\"name\":\"n\",\"key\":\"" + key + "\"}";
    assertThatThrownBy(() -> new ObjectMapper().readValue(json, AesSettings.class))
        .satisfies(t -> Leaks.assertNoLeak(t, key))
        .hasMessageContaining("io.latchkey.crypto.aead.AesGcmKey is not read from JSON");
  }

  /** Every public type of core and crypto that holds a key or a value. */
  static List<Class<?>> holders() {
    return List.of(
        Secret.class,
        ConfigValue.class,
        Config.class,
        KeyList.class,
        SecretVersion.class,
        JsonValue.class,
        JsonSecretView.class,
        Http1Client.Response.class,
        Http1Client.Request.class,
        SwappableKeyRing.class,
        FernetKey.class,
        FernetKeyRing.class,
        AesGcmKey.class,
        AesGcmKeyRing.class,
        MigrationKeyRing.class,
        SwappableAeadKeyRing.class,
        SigningKeyRing.class,
        ApiKeyVerifier.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holders")
  void read_holderFromJson_isRefusedWithoutQuotingTheJson(Class<?> type) {
    String value = AesGcmKey.generate().encoded().reveal();
    ObjectMapper mapper = new ObjectMapper();
    JavaType asMapKey = mapper.getTypeFactory().constructMapType(Map.class, type, String.class);
    JavaType asMapValue = mapper.getTypeFactory().constructMapType(Map.class, String.class, type);
    for (Read read :
        List.<Read>of(
            () -> mapper.readValue("\"" + value + "\"", type),
            () -> mapper.readValue("{\"key\":\"" + value + "\"}", type),
            () -> mapper.readValue("[\"" + value + "\"]", type),
            () -> mapper.readValue("{\"" + value + "\":\"x\"}", asMapKey),
            () -> mapper.readValue("{\"x\":\"" + value + "\"}", asMapValue))) {
      Throwable thrown = catchThrowable(read::run);
      assertThat(thrown).as(type.getName()).isNotNull();
      Leaks.assertNoLeak(thrown, value);
    }
  }

  /** One way of reading. */
  private interface Read {
    Object run() throws Exception;
  }
}
