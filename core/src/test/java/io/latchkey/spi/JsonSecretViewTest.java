package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

final class JsonSecretViewTest {
  private static final SecretRef REF = SecretRef.parse("fake:app/config");
  private static final String CANARY = "CANARY-51e0aa";
  private final Deque<Supplier<String>> answers = new ArrayDeque<>();
  private int fetches;

  private JsonSecretView view() {
    return new JsonSecretView(
        "FAKE_CONFIG_SECRET",
        REF,
        ref -> {
          fetches++;
          return SecretVersion.of(Secret.of(answers.pop().get()), Instant.EPOCH);
        });
  }

  @Test
  void membersReadByTheFieldRule_onceAtFirstUse() {
    answers.add(() -> "{\"B\":\"x\",\"A\":5,\"N\":null,\"O\":{\"k\":[1]}}");
    JsonSecretView view = view();
    assertThat(view.names()).containsExactly("A", "B", "O");
    assertThat(view.get("A").orElseThrow().text()).isEqualTo("5");
    assertThat(view.get("O").orElseThrow().text()).isEqualTo("{\"k\":[1]}");
    assertThat(view.get("N")).isEmpty();
    assertThat(view.get("B").orElseThrow().origin().toString()).contains("fake:app/config");
    assertThat(fetches).isEqualTo(1);
  }

  @Test
  void failures_areConfigProblemsOfTheSetting_triedAgain_neverQuotingTheText() {
    answers.add(
        () -> {
          throw new ProviderException(REF, ProviderException.Kind.THROTTLED, "slow down");
        });
    answers.add(
        () -> {
          throw new SecretNotFoundException(REF, "no such secret");
        });
    answers.add(() -> "MODE=" + CANARY);
    answers.add(() -> "[\"" + CANARY + "\"]");
    answers.add(() -> "{\"MODE\":\"on\"}");
    JsonSecretView view = view();
    assertThatThrownBy(view::names)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FAKE_CONFIG_SECRET")
        .hasMessageContaining("secret fake:app/config could not be read: throttled: slow down");
    assertThatThrownBy(view::names)
        .hasMessageContaining("names secret fake:app/config, which was not found: no such secret");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(view::names)
          .hasMessageContaining("secret fake:app/config is not a JSON object")
          .hasMessageNotContaining(CANARY);
    }
    assertThat(view.get("MODE").orElseThrow().text()).isEqualTo("on");
    assertThat(view.toString()).isEqualTo("JsonSecretView[FAKE_CONFIG_SECRET=fake:app/config]");
  }

  @Test
  void noSecret_isAnEmptyView() {
    JsonSecretView view = new JsonSecretView("FAKE_CONFIG_SECRET", null, ref -> null);
    assertThat(view.names()).isEmpty();
    assertThat(view.get("A")).isEmpty();
  }
}
