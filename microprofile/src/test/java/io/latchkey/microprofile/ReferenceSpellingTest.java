package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.resolver.ReferenceSyntax;
import io.latchkey.resolver.SecretResolver;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two reference spellings through SmallRye Config's real expression expansion, which is on by
 * default: {@code ref+…} reaches Latchkey as written, {@code ${ref:…}} is read as an expression for
 * a property {@code ref} with a default and replaced before any interceptor sees it.
 */
final class ReferenceSpellingTest {
  private static final String PASSWORD = "pw-3f9c1a7e5b2d8046";
  private SecretReferences references;

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    FakeSecrets.put("prod/db", "{\"password\":\"" + PASSWORD + "\"}");
    references = new SecretReferences(null, Map.of());
  }

  @AfterEach
  void tearDown() {
    references.close();
  }

  @Test
  void plainSmallRye_refPlus_survivesExpressionExpansion() {
    SmallRyeConfig config = Configs.plain(Map.of("db.password", "ref+aws:prod/db#password"));

    assertThat(config.getValue("db.password", String.class)).isEqualTo("ref+aws:prod/db#password");
  }

  @Test
  void plainSmallRye_placeholder_isReadAsAnExpressionWithADefault() {
    SmallRyeConfig config = Configs.plain(Map.of("db.password", "${ref:aws:prod/db#password}"));

    // The property 'ref' is unset, so the expression expands to its default.
    assertThat(config.getValue("db.password", String.class)).isEqualTo("aws:prod/db#password");
  }

  @Test
  void plainSmallRye_placeholder_takesThePropertyNamedRefWhenSet() {
    SmallRyeConfig config =
        Configs.plain(Map.of("db.password", "${ref:aws:prod/db#password}", "ref", "surprise"));

    assertThat(config.getValue("db.password", String.class)).isEqualTo("surprise");
  }

  @Test
  void withoutTheInterceptor_aReferenceIsResolvedWhereItIsRead() {
    // What docs/microprofile.md shows for implementations without SmallRye's interceptors.
    SmallRyeConfig config =
        Configs.plain(Map.of("db.password", "ref+aws:prod/db#password", "motto", "ref++x"));
    try (SecretResolver resolver =
        SecretResolver.builder().provider(new FakeAwsProviderFactory.Provider()).build()) {
      String raw = config.getValue("db.password", String.class);
      Secret password =
          ReferenceSyntax.reference(raw)
              .map(resolver::resolve)
              .orElseGet(() -> Secret.of(ReferenceSyntax.literal(raw)));
      assertThat(password.reveal()).isEqualTo(PASSWORD);

      String plain = config.getValue("motto", String.class);
      assertThat(
              ReferenceSyntax.reference(plain)
                  .map(resolver::resolve)
                  .orElseGet(() -> Secret.of(ReferenceSyntax.literal(plain)))
                  .reveal())
          .isEqualTo("ref+x");
    }
  }

  @Test
  void interceptor_refPlus_resolvesAfterExpansion() {
    SmallRyeConfig config =
        Configs.with(Map.of("db.password", "ref+aws:prod/db#password"), references);

    assertThat(config.getValue("db.password", String.class)).isEqualTo(PASSWORD);
    assertThat(config.getConfigValue("db.password").getRawValue())
        .isEqualTo("ref+aws:prod/db#password");
    assertThat(config.getConfigValue("db.password").getSourceName())
        .isEqualTo(
            "PropertiesConfigSource[source="
                + Configs.SOURCE
                + "]"
                + ReferenceInterceptor.RESOLVED);
  }

  @Test
  void interceptor_expressionThatExpandsToAReference_resolves() {
    SmallRyeConfig config =
        Configs.with(
            Map.of(
                "db.password", "${DB_PASSWORD_REF}", "DB_PASSWORD_REF", "ref+aws:prod/db#password"),
            references);

    assertThat(config.getValue("db.password", String.class)).isEqualTo(PASSWORD);
  }

  @Test
  void interceptor_placeholderEatenByExpansion_failsNamingThePropertyAndTheSpellingToUse() {
    SmallRyeConfig config =
        Configs.with(Map.of("db.password", "${ref:aws:prod/db#password}"), references);

    assertThatThrownBy(() -> config.getValue("db.password", String.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.password")
        .hasMessageContaining("write ref+REFERENCE")
        .hasMessageContaining(Configs.SOURCE);
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }

  @Test
  void interceptor_placeholderInsideAValue_isRefusedNamingTheProperty() {
    SmallRyeConfig config =
        Configs.with(
            Map.of(
                "db.url", "jdbc:pg://app:${ref:aws:prod/db#password}@db/app",
                "api.key", "${missing:${ref:aws:prod/db#password}}"),
            references);

    for (String property : new String[] {"db.url", "api.key"}) {
      assertThatThrownBy(() -> config.getValue(property, String.class))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(property + ": is written with ${ref:…}")
          .hasMessageContaining("write ref+REFERENCE")
          .hasMessageContaining(Configs.SOURCE)
          .hasMessageNotContaining(PASSWORD);
    }
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }

  @Test
  void interceptor_expressionThatReadsAPlaceholderProperty_isRefusedNamingBoth() {
    SmallRyeConfig config =
        Configs.with(
            Map.of(
                "db.password", "${db.password.ref}",
                "db.password.ref", "${ref:aws:prod/db#password}",
                "db.url", "jdbc:pg://app:${db.password}@db/app"),
            references);

    assertThatThrownBy(() -> config.getValue("db.password", String.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "db.password: takes its value from db.password.ref, which is written with ${ref:…}")
        .hasMessageContaining("write ref+REFERENCE")
        .hasMessageContaining(Configs.SOURCE)
        .hasMessageNotContaining(PASSWORD);
    // Two expressions deep.
    assertThatThrownBy(() -> config.getValue("db.url", String.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.url: takes its value from db.password.ref");
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }

  @Test
  void interceptor_escapedPlaceholdersAnywhere_arePlainText_directOrThroughAnExpression() {
    SmallRyeConfig config =
        Configs.with(
            Map.of(
                "template",
                    "Dear ${who:user}, write $${ref:aws:prod/db#password} or" + " \\${ref:env:X}",
                "copy", "${template}",
                "who", "reader"),
            references);

    String expected = "Dear reader, write ${ref:aws:prod/db#password} or ${ref:env:X}";
    assertThat(config.getValue("template", String.class)).isEqualTo(expected);
    assertThat(config.getValue("copy", String.class)).isEqualTo(expected);
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }

  @Test
  void interceptor_placeholderWithExpressionsOff_resolves() {
    SmallRyeConfig config =
        Configs.with(
            Map.of(
                "db.password", "${ref:aws:prod/db#password}",
                "mp.config.property.expressions.enabled", "false"),
            references);

    assertThat(config.getValue("db.password", String.class)).isEqualTo(PASSWORD);
  }

  @Test
  void interceptor_escapedPrefixes_arePlainText() {
    SmallRyeConfig config =
        Configs.with(
            Map.of("motto", "ref++not-a-reference", "template", "$${ref:not-a-reference}"),
            references);

    assertThat(config.getValue("motto", String.class)).isEqualTo("ref+not-a-reference");
    assertThat(config.getValue("template", String.class)).isEqualTo("${ref:not-a-reference}");
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }

  @Test
  void interceptor_resolvedValue_isNeverReadByTheExpressionEngine() {
    // A secret full of what an expression engine would act on, returned exactly as stored.
    String tricky = "a${b}c$${d}\\${e}${f:g}%h";
    FakeSecrets.put("prod/tricky", tricky);
    SmallRyeConfig config = Configs.with(Map.of("api.key", "ref+aws:prod/tricky"), references);

    assertThat(config.getValue("api.key", String.class)).isEqualTo(tricky);
  }

  @Test
  void interceptor_plainValues_passThroughWithoutCreatingAResolver() {
    SmallRyeConfig config =
        Configs.with(Map.of("http.port", "8080", "greeting", "${who:world}"), references);

    assertThat(config.getValue("http.port", Integer.class)).isEqualTo(8080);
    assertThat(config.getValue("greeting", String.class)).isEqualTo("world");
    assertThat(FakeSecrets.CREATED).hasValue(0);
  }
}
