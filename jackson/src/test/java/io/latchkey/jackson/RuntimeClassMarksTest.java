package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A value written as a type other than its own class (an interface, an abstract class, a
 * superclass: {@code writerFor}, static typing, {@code JsonSerialize(as = …)}): the marks of its
 * own class still hold.
 */
final class RuntimeClassMarksTest {
  static final String PASSWORD = "canary-password-9c1e";
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  public interface Connector {
    String getName();

    String getPassword();
  }

  public static class DbConnector implements Connector {
    @NeverSerialize private final String password = PASSWORD;

    @Override
    public String getName() {
      return "db";
    }

    @Override
    public String getPassword() {
      return password;
    }
  }

  /** A plain base class, and a subclass that marks the getter it overrides. */
  public static class Account {
    public String getName() {
      return "ops";
    }

    public String getToken() {
      return PASSWORD;
    }
  }

  public static final class GuardedAccount extends Account {
    @NeverSerialize
    @Override
    public String getToken() {
      return PASSWORD;
    }
  }

  public abstract static class Base {
    public abstract String getState();
  }

  public static final class EncryptedState extends Base {
    @JsonEncrypted private final String state = PASSWORD;

    @Override
    public String getState() {
      return state;
    }
  }

  /** Holds its connector under the interface's type, written as declared. */
  public static final class Holder {
    @JsonSerialize(as = Connector.class)
    public final Connector connector = new DbConnector();
  }

  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  public interface ArrayConnector extends Connector {}

  public static final class ArrayDbConnector extends DbConnector implements ArrayConnector {}

  private static ObjectMapper mapper() {
    return JsonMapper.builder().addModule(LatchkeyModule.builder().keyRing(RING).build()).build();
  }

  @Test
  void neverSerialize_onTheImplementation_holdsThroughItsInterface() throws Exception {
    ObjectMapper mapper = mapper();

    assertThat(mapper.writeValueAsString(new DbConnector())).isEqualTo("{\"name\":\"db\"}");
    assertThat(mapper.writerFor(Connector.class).writeValueAsString(new DbConnector()))
        .isEqualTo("{\"name\":\"db\"}");
    assertThat(mapper.writeValueAsString(new Holder()))
        .isEqualTo("{\"connector\":{\"name\":\"db\"}}");
    String list =
        mapper
            .writerFor(mapper.getTypeFactory().constructCollectionType(List.class, Connector.class))
            .writeValueAsString(List.of(new DbConnector()));
    assertThat(list).doesNotContain(PASSWORD);
  }

  @Test
  void neverSerialize_onAnOverridingGetter_holdsThroughTheSuperclass() throws Exception {
    ObjectMapper mapper = mapper();

    assertThat(mapper.writerFor(Account.class).writeValueAsString(new GuardedAccount()))
        .isEqualTo("{\"name\":\"ops\"}");
    assertThat(mapper.writerFor(Account.class).writeValueAsString(new Account()))
        .as("the superclass's own values keep the property")
        .isEqualTo("{\"name\":\"ops\",\"token\":\"" + PASSWORD + "\"}");
  }

  @Test
  void neverSerialize_underStaticTyping_holds() throws Exception {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(LatchkeyModule.create())
            .enable(MapperFeature.USE_STATIC_TYPING)
            .build();

    assertThat(mapper.writeValueAsString(new Holder()))
        .isEqualTo("{\"connector\":{\"name\":\"db\"}}");
  }

  @Test
  void neverSerialize_inAnArrayShapedType_writesNullInItsPlace() throws Exception {
    String json =
        mapper().writerFor(ArrayConnector.class).writeValueAsString(new ArrayDbConnector());

    assertThat(json).doesNotContain(PASSWORD).isEqualTo("[\"db\",null]");
  }

  @Test
  void jsonEncrypted_onTheImplementation_writtenThroughItsBase_isRefused() {
    ObjectMapper mapper = mapper();

    assertThatThrownBy(() -> mapper.writerFor(Base.class).writeValueAsString(new EncryptedState()))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            EncryptedState.class.getName()
                + " marks property state @JsonEncrypted, but it is being written as "
                + Base.class.getName())
        .satisfies(t -> Leaks.assertNoLeak(t, PASSWORD));
  }

  @Test
  void jsonEncrypted_onTheImplementation_writtenAsItself_isAToken() throws Exception {
    String json = mapper().writeValueAsString(new EncryptedState());

    assertThat(json).doesNotContain(PASSWORD).startsWith("{\"state\":\"lk.");
  }
}
