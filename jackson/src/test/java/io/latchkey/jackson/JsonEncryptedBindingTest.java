package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a {@link JsonEncrypted} token is bound to: its class and property, its purpose, its age. */
final class JsonEncryptedBindingTest {
  static final String STATE = "canary-oauth-state-91c4e2";
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  /** Two classes with a property of the same name and the default purpose. */
  static final class Enc {
    @JsonEncrypted public String state;
  }

  static final class Enc2 {
    @JsonEncrypted public String state;
  }

  /** Two classes that share tokens on purpose. */
  record SharedA(@JsonEncrypted("shared-cursor") String cursor) {}

  record SharedB(@JsonEncrypted("shared-cursor") String cursor) {}

  record LoginStep(
      String provider, @JsonEncrypted(value = "oauth-state", ttl = "PT10M") String state) {}

  record LoginStepSeconds(@JsonEncrypted(value = "oauth-state", ttl = "600") String state) {}

  record Untimed(@JsonEncrypted("oauth-state") String state) {}

  record BadTtl(@JsonEncrypted(ttl = "soon") String state) {}

  /** The field and its getter in a base class, the creator in a subclass. */
  abstract static class Step {
    @JsonEncrypted private final String state;

    Step(String state) {
      this.state = state;
    }

    public String getState() {
      return state;
    }
  }

  static final class CreatorStep extends Step {
    @JsonCreator
    CreatorStep(@JsonProperty("state") String state) {
      super(state);
    }
  }

  /** The field and its setter in a base class, the getter overridden in a subclass. */
  static class SetterStep {
    @JsonEncrypted String state;

    public String getState() {
      return state;
    }

    public void setState(String state) {
      this.state = state;
    }
  }

  static final class OverridingStep extends SetterStep {
    @Override
    public String getState() {
      return super.getState();
    }
  }

  private static ObjectMapper mapper(MutableClock clock) {
    return JsonMapper.builder()
        .addModule(LatchkeyModule.builder().keyRing(RING).clock(clock).build())
        .build();
  }

  private static String token(ObjectMapper mapper, Object value, String property) throws Exception {
    return mapper.readTree(mapper.writeValueAsString(value)).get(property).asText();
  }

  @Test
  void read_defaultPurpose_tokenOfTheSamePropertyInAnotherClass_isRejected() throws Exception {
    ObjectMapper mapper = mapper(new MutableClock());
    Enc e = new Enc();
    e.state = STATE;
    String token = token(mapper, e, "state");
    ObjectNode pasted = mapper.createObjectNode().put("state", token);

    assertThat(RING.decrypt(token, AssociatedData.of("json", Enc.class.getName(), "state")))
        .asString()
        .isEqualTo(STATE);
    assertThat(mapper.treeToValue(pasted, Enc.class).state).isEqualTo(STATE);
    assertThatThrownBy(() -> mapper.treeToValue(pasted, Enc2.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            "@JsonEncrypted property state: the token was rejected (token was made with another"
                + " key or has been altered); a token made for another purpose is rejected too")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE))
        .satisfies(t -> Leaks.assertNoLeak(t, token));
  }

  @Test
  void defaultPurpose_writerAndReaderOnOtherAccessors_bindToTheFieldsClass_andRoundTrip()
      throws Exception {
    ObjectMapper mapper = mapper(new MutableClock());

    String json = mapper.writeValueAsString(new CreatorStep(STATE));
    assertThat(json).doesNotContain(STATE).contains("\"state\":\"lk.");
    assertThat(mapper.readValue(json, CreatorStep.class).getState()).isEqualTo(STATE);
    String token = mapper.readTree(json).get("state").asText();
    assertThat(RING.decrypt(token, AssociatedData.of("json", Step.class.getName(), "state")))
        .asString()
        .isEqualTo(STATE);

    OverridingStep overriding = new OverridingStep();
    overriding.setState(STATE);
    String json2 = mapper.writeValueAsString(overriding);
    assertThat(json2).doesNotContain(STATE);
    assertThat(mapper.readValue(json2, OverridingStep.class).getState()).isEqualTo(STATE);
    String token2 = mapper.readTree(json2).get("state").asText();
    assertThat(RING.decrypt(token2, AssociatedData.of("json", SetterStep.class.getName(), "state")))
        .asString()
        .isEqualTo(STATE);
  }

  @Test
  void read_explicitPurpose_isSharedAcrossClassesAsGiven() throws Exception {
    ObjectMapper mapper = mapper(new MutableClock());
    String token = token(mapper, new SharedA(STATE), "cursor");

    SharedB back =
        mapper.treeToValue(mapper.createObjectNode().put("cursor", token), SharedB.class);

    assertThat(back.cursor()).isEqualTo(STATE);
    assertThat(RING.decrypt(token, AssociatedData.of("json", "shared-cursor")))
        .asString()
        .isEqualTo(STATE);
  }

  @Test
  void read_ttl_acceptsUpToTheLimitAndRejectsAfterIt() throws Exception {
    MutableClock clock = new MutableClock();
    ObjectMapper mapper = mapper(clock);
    String token = token(mapper, new LoginStep("github", STATE), "state");
    ObjectNode back = mapper.createObjectNode().put("provider", "github").put("state", token);

    // The ring writes the untimed layout; the property still gets a timed token, by its clock.
    assertThat(RING.extractTimestamp(token, AssociatedData.of("json", "oauth-state")))
        .isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(10));
    assertThat(mapper.treeToValue(back, LoginStep.class).state()).isEqualTo(STATE);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> mapper.treeToValue(back, LoginStep.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            "@JsonEncrypted property state: the token was rejected (token has expired)")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE))
        .satisfies(t -> Leaks.assertNoLeak(t, token));
  }

  @Test
  void read_ttlInSeconds_andThroughASwappableRing() throws Exception {
    MutableClock clock = new MutableClock();
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(
                LatchkeyModule.builder()
                    .keyRing(SwappableAeadKeyRing.of(RING))
                    .clock(clock)
                    .build())
            .build();
    String token = token(mapper, new LoginStepSeconds(STATE), "state");
    ObjectNode back = mapper.createObjectNode().put("state", token);

    clock.advance(Duration.ofMinutes(10));
    assertThat(mapper.treeToValue(back, LoginStepSeconds.class).state()).isEqualTo(STATE);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> mapper.treeToValue(back, LoginStepSeconds.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("(token has expired)");
  }

  @Test
  void read_ttl_untimedTokenOfTheSamePurpose_isRejectedAsExpired() throws Exception {
    ObjectMapper mapper = mapper(new MutableClock());
    String untimed = token(mapper, new Untimed(STATE), "state");

    assertThatThrownBy(
            () ->
                mapper.treeToValue(
                    mapper.createObjectNode().put("state", untimed), LoginStepSeconds.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("(token has expired)")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE))
        .satisfies(t -> Leaks.assertNoLeak(t, untimed));
  }

  @Test
  void write_unreadableTtl_failsNamingThePropertyAndTheForms() {
    ObjectMapper mapper = mapper(new MutableClock());

    assertThatThrownBy(() -> mapper.writeValueAsString(new BadTtl(STATE)))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            "@JsonEncrypted property state: ttl \"soon\" is not a time-to-live of at least one"
                + " second; give an ISO-8601 duration (PT10M) or whole seconds (600)")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE));
  }
}
