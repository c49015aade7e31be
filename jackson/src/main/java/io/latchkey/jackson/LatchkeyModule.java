package io.latchkey.jackson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleSerializers;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AeadKeyRing;
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
import java.time.Clock;
import java.util.List;

/**
 * A Jackson 2 module with which no secret is written to JSON by accident: {@link Secret} values are
 * written as their mask or refused, and read from JSON strings; {@link NeverSerialize} properties
 * are never written; {@link JsonEncrypted} properties travel as tokens.
 *
 * <pre>{@code
 * ObjectMapper mapper = JsonMapper.builder()
 *     .addModule(LatchkeyModule.builder()
 *         .secrets(LatchkeyModule.SecretOutput.REFUSE)
 *         .keyRing(AesGcmKeyRing.fromEnvironment("APP_JSON_KEY"))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>A mapper takes one {@code LatchkeyModule}: Jackson registers a module type once, so a second
 * one (with other settings) is ignored. What changes for Jackson 3 is in docs/jpa-and-jackson.md.
 *
 * <h2>Security</h2>
 *
 * <p>Without the module, Jackson already writes a {@code Secret} as its mask ({@code Secret}'s own
 * {@code @JsonValue}); the module adds the refusal, the reading, and the two annotations. A mask is
 * never read back as a secret: reading one fails, so that a response sent back as a request cannot
 * replace a credential with its mask. Messages name properties and types, never values.
 *
 * @since 0.1
 */
public final class LatchkeyModule extends Module {

  /** What the module does when asked to write a {@link Secret}. */
  public enum SecretOutput {
    /**
     * Writes the mask, the same string as {@link Secret#toString()} (the default), as a JSON
     * string: also for a {@code @JsonRawValue} property, whose raw text would otherwise break the
     * document.
     */
    MASK,
    /**
     * Fails the write with a {@link com.fasterxml.jackson.databind.JsonMappingException}: for
     * responses, where even a mask means a secret was put in the wrong object. A property with a
     * serializer of its own, for itself, its content or its keys ({@code @JsonRawValue}, or {@code
     * JsonSerialize} with {@code using}, {@code contentUsing} or {@code keyUsing}), is refused too
     * when its value is or holds a secret (in its arrays, collections, maps or references); a
     * {@link JsonEncrypted} one is written as its token.
     */
    REFUSE
  }

  private final SecretOutput secrets;
  private final AeadKeyRing ring;
  private final Clock clock;

  private LatchkeyModule(Builder b) {
    this.secrets = b.secrets;
    this.ring = b.ring;
    this.clock = b.clock;
  }

  /**
   * Returns a module that writes secrets masked and has no key ring.
   *
   * @return the module
   */
  public static LatchkeyModule create() {
    return builder().build();
  }

  /**
   * Returns a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LatchkeyModule}. */
  public static final class Builder {
    private SecretOutput secrets = SecretOutput.MASK;
    private AeadKeyRing ring;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets what writing a {@link Secret} does ({@link SecretOutput#MASK} by default).
     *
     * @param output mask or refuse
     * @return this builder
     */
    public Builder secrets(SecretOutput output) {
      this.secrets = requireNonNull(output, "output");
      return this;
    }

    /**
     * Sets the key ring that encrypts {@link JsonEncrypted} properties; without one, writing or
     * reading such a property fails.
     *
     * @param ring the key ring
     * @return this builder
     */
    public Builder keyRing(AeadKeyRing ring) {
      this.ring = requireNonNull(ring, "ring");
      return this;
    }

    /**
     * Sets the clock that stamps and checks the tokens of {@link JsonEncrypted} properties with a
     * {@linkplain JsonEncrypted#ttl() time-to-live} (the system UTC clock by default).
     *
     * @param clock the clock
     * @return this builder
     * @since 0.2
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the module.
     *
     * @return the module
     */
    public LatchkeyModule build() {
      return new LatchkeyModule(this);
    }
  }

  /**
   * Returns {@code latchkey}.
   *
   * @return the module's name
   */
  @Override
  public String getModuleName() {
    return "latchkey";
  }

  /**
   * Returns an unknown version: the module is versioned with Latchkey, not with Jackson.
   *
   * @return {@link Version#unknownVersion()}
   */
  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  /**
   * Registers the module's serializers, deserializers, property filter and annotation handling.
   *
   * @param context Jackson's set-up context
   */
  @Override
  public void setupModule(SetupContext context) {
    boolean refuse = secrets == SecretOutput.REFUSE;
    SimpleSerializers serializers = new SimpleSerializers();
    serializers.addSerializer(Secret.class, new SecretSerializer(refuse, false));
    context.addSerializers(serializers);
    SimpleSerializers keys = new SimpleSerializers();
    keys.addSerializer(Secret.class, new SecretSerializer(refuse, true));
    context.addKeySerializers(keys);
    SimpleDeserializers deserializers = new SimpleDeserializers();
    deserializers.addDeserializer(Secret.class, new SecretDeserializer());
    for (Class<?> holder : HOLDERS) {
      refuse(deserializers, holder);
    }
    context.addDeserializers(deserializers);
    // First, so that it runs last: it wraps the writers the others leave.
    context.addBeanSerializerModifier(new RuntimeMarksWriter.Modifier());
    context.addBeanSerializerModifier(new NeverSerializeModifier());
    context.addBeanSerializerModifier(new SecretGuardWriter.Modifier(refuse));
    context.addBeanSerializerModifier(new AnnotationsOff.Writes());
    context.addBeanDeserializerModifier(new AnnotationsOff.Reads());
    context.insertAnnotationIntrospector(new EncryptedIntrospector(ring, clock));
  }

  /**
   * The types that hold a key or a value and are never read from JSON. Each refuses through its own
   * creator without the module too, but a mapper that builds every creator from properties ({@code
   * ConstructorDetector.USE_PROPERTIES_BASED}, with parameter names known) refuses a JSON string
   * before calling that creator, quoting it; the module's reader is chosen first, whatever the
   * detector.
   */
  private static final List<Class<?>> HOLDERS =
      List.of(
          FernetKey.class,
          FernetKeyRing.class,
          AesGcmKey.class,
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
          Http1Client.Response.class);

  @SuppressWarnings({"unchecked", "rawtypes"}) // one reader refuses every holder type
  private static void refuse(SimpleDeserializers deserializers, Class<?> type) {
    deserializers.addDeserializer(
        (Class) type,
        new Refusing.Reader(
            "reading a "
                + type.getName()
                + " from JSON is refused: it holds a key or a value, which is read from its"
                + " source, never from a document",
            null));
  }

  /**
   * Returns {@code LatchkeyModule[secrets=…, keyRing=…]}, naming key ids only.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "LatchkeyModule[secrets=" + secrets + ", keyRing=" + ring + "]";
  }

  /** Names the serializer and deserializer of {@link JsonEncrypted} properties. */
  private static final class EncryptedIntrospector extends NopAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    private final transient AeadKeyRing ring;
    private final transient Clock clock;

    EncryptedIntrospector(AeadKeyRing ring, Clock clock) {
      this.ring = ring;
      this.clock = clock;
    }

    @Override
    public Object findSerializer(Annotated a) {
      JsonEncrypted e = a.getAnnotation(JsonEncrypted.class);
      return e == null ? null : new EncryptedProperty.Serializer(ring, clock, e);
    }

    @Override
    public Object findDeserializer(Annotated a) {
      JsonEncrypted e = a.getAnnotation(JsonEncrypted.class);
      return e == null ? null : new EncryptedProperty.Deserializer(ring, clock, e);
    }
  }
}
