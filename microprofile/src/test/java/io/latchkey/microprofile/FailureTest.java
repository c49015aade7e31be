package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.Serialisers;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A missing secret, a provider that is down and a malformed reference: each fails the read with a
 * {@link ConfigException} naming the property, the reference and the source, and no value reaches
 * the exception or the log.
 */
final class FailureTest {
  private static final String CANARY = "sk-live-Q7v2Rk9pXw4Lm8Zt";

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    // A secret the config also reads, so that a message that quoted values would show it.
    FakeSecrets.put("prod/known", CANARY);
  }

  @Test
  void missingSecret_namesThePropertyTheReferenceAndTheSource() {
    try (LogCapture log = LogCapture.startAtEveryLevel();
        SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          Configs.with(
              Map.of("api.key", "ref+aws:prod/known", "db.password", "ref+aws:prod/missing"),
              references);
      config.getValue("api.key", String.class);

      ConfigException e = read(config, "db.password");
      assertThatThrownBy(() -> config.getOptionalValue("db.password", String.class))
          .as("a broken reference is not a missing property")
          .isInstanceOf(ConfigException.class);

      assertThat(e.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo("db.password");
                assertThat(p.reason())
                    .contains("secret aws:prod/missing was not found")
                    .contains("test.properties");
              });
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the log", log.text(), CANARY);
    }
  }

  @Test
  void providerDown_namesThePropertyAndTheKindOfFailure() {
    FakeSecrets.down = true;
    // One attempt: the default retries would wait between attempts.
    try (LogCapture log = LogCapture.startAtEveryLevel();
        SecretResolver resolver =
            SecretResolver.builder()
                .provider(new FakeAwsProviderFactory.Provider())
                .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
                .build()) {
      SmallRyeConfig config =
          Configs.with(Map.of("api.key", "ref+aws:prod/known"), SecretReferences.using(resolver));

      ConfigException e = read(config, "api.key");

      assertThat(e.getMessage())
          .contains("api.key")
          .contains("secret aws:prod/known could not be resolved")
          .contains("unavailable");
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the log", log.text(), CANARY);
    }
  }

  @Test
  void malformedReference_givesThePositionNeverTheText() {
    // A secret pasted after the prefix by mistake: the blank makes it an invalid reference.
    String pasted = "ref+aws:" + CANARY + " " + CANARY;
    try (LogCapture log = LogCapture.startAtEveryLevel();
        SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config = Configs.with(Map.of("api.key", pasted), references);

      ConfigException e = read(config, "api.key");

      assertThat(e.getMessage())
          .contains("api.key")
          .contains("has an invalid secret reference at position " + ("ref+aws:" + CANARY).length())
          .contains("test.properties");
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the log", log.text(), CANARY);
      assertThat(FakeSecrets.FETCHES).hasValue(0);
    }
  }

  @Test
  void resolvedValue_neverReachesTheInterceptorsOrConvertersDescription() {
    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config = Configs.with(Map.of("api.key", "ref+aws:prod/known"), references);
      assertThat(config.getValue("api.key", String.class)).isEqualTo(CANARY);

      Leaks.assertNoLeak("SecretReferences", references.toString(), CANARY);
      config
          .getConfigSources()
          .forEach(s -> Leaks.assertNoLeak("a source's name", s.getName(), CANARY));
    }
  }

  @Test
  void interceptorHoldingAResolver_writesNoValueThroughAnySerialiser() {
    try (SecretResolver resolver =
        SecretResolver.builder().provider(new FakeAwsProviderFactory.Provider()).build()) {
      assertThat(resolver.resolve("aws:prod/known").reveal()).isEqualTo(CANARY);

      Serialisers.assertWritesNoValue(
          "the interceptor", new ReferenceInterceptor(ResolverHandle.borrowed(resolver)), CANARY);
    }
  }

  private static ConfigException read(SmallRyeConfig config, String name) {
    return catchThrowableOfType(ConfigException.class, () -> config.getValue(name, String.class));
  }
}
