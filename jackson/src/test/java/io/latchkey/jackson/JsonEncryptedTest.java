package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.testsupport.Leaks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties that travel through JSON as tokens, and come back as values. */
final class JsonEncryptedTest {
  static final String STATE = "canary-oauth-state-7f3a";
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  record Page(List<String> items, @JsonEncrypted("page-cursor") String next) {}

  record Handoff(
      @JsonEncrypted Secret state,
      @JsonEncrypted("blob") byte[] blob,
      @JsonEncrypted String hint) {}

  /** A bean read and written through its fields only. */
  static final class Session {
    @JsonEncrypted("session-state")
    Secret state;

    String user;
  }

  private static ObjectMapper mapper() {
    return JsonMapper.builder().addModule(LatchkeyModule.builder().keyRing(RING).build()).build();
  }

  @Test
  void write_encryptsBoundToThePurpose_andReadsBack() throws Exception {
    ObjectMapper mapper = mapper();

    String json = mapper.writeValueAsString(new Page(List.of("a"), STATE));
    Page back = mapper.readValue(json, Page.class);

    Leaks.assertNoLeak("page", json, STATE);
    String token = mapper.readTree(json).get("next").asText();
    assertThat(token).startsWith("lk.");
    assertThat(RING.decrypt(token, AssociatedData.of("json", "page-cursor")))
        .isEqualTo(STATE.getBytes(StandardCharsets.UTF_8));
    assertThat(back.next()).isEqualTo(STATE);
  }

  @Test
  void everyType_roundTrips_andTheDefaultPurposeIsTheClassAndThePropertyName() throws Exception {
    ObjectMapper mapper = mapper();
    byte[] blob = {1, 2, 3};

    String json = mapper.writeValueAsString(new Handoff(Secret.of(STATE), blob, STATE));
    Handoff back = mapper.readValue(json, Handoff.class);

    Leaks.assertNoLeak("handoff", json, STATE);
    assertThat(back.state().reveal()).isEqualTo(STATE);
    assertThat(back.blob()).containsExactly(1, 2, 3);
    assertThat(back.hint()).isEqualTo(STATE);
    String hint = mapper.readTree(json).get("hint").asText();
    assertThat(RING.decrypt(hint, AssociatedData.of("json", Handoff.class.getName(), "hint")))
        .isNotEmpty();
  }

  @Test
  void fieldVisibility_encryptsTheField() throws Exception {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().keyRing(RING).build())
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .build();
    Session s = new Session();
    s.state = Secret.of(STATE);
    s.user = "u";

    String json = mapper.writeValueAsString(s);

    Leaks.assertNoLeak("session", json, STATE);
    assertThat(mapper.readValue(json, Session.class).state.reveal()).isEqualTo(STATE);
  }

  @Test
  void read_tokenMovedToAnotherPurposeOrAltered_isRejectedWithoutTheValue() throws Exception {
    ObjectMapper mapper = mapper();
    ObjectNode handoff =
        (ObjectNode)
            mapper.readTree(
                mapper.writeValueAsString(new Handoff(Secret.of(STATE), new byte[] {1}, STATE)));
    // The state's token, pasted where the hint goes.
    handoff.put("hint", handoff.get("state").asText());

    assertThatThrownBy(() -> mapper.treeToValue(handoff, Handoff.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            "@JsonEncrypted property hint: the token was rejected (token was made with another key"
                + " or has been altered); a token made for another purpose is rejected too")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE));
    handoff.put("hint", "not-a-token-" + STATE);
    assertThatThrownBy(() -> mapper.treeToValue(handoff, Handoff.class))
        .isInstanceOf(JsonMappingException.class)
        .satisfies(t -> Leaks.assertNoLeak(t, STATE));
  }

  @Test
  void noKeyRing_writingFailsAndSaysHowToGiveOne() {
    ObjectMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    assertThatThrownBy(() -> mapper.writeValueAsString(new Page(List.of(), STATE)))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(
            "@JsonEncrypted property next needs a key ring: register"
                + " LatchkeyModule.builder().keyRing(ring).build()")
        .satisfies(t -> Leaks.assertNoLeak(t, STATE));
  }

  @Test
  void moduleToString_namesKeyIdsOnly() {
    assertThat(LatchkeyModule.builder().keyRing(RING).build().toString())
        .isEqualTo("LatchkeyModule[secrets=MASK, keyRing=" + RING + "]");
  }
}
