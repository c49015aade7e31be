package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/configprops} with {@code show-values=ALWAYS}: a value bound from a reference
 * under a map key with a dot ({@code partner.keys[eu.west]}), which Boot reports under a name whose
 * bound property it does not find, is masked even where its converted form is not the secret's text
 * (a UUID in lower case, a number without its leading zeros).
 */
final class ConfigpropsConvertedValuesTest {
  /** An API key that is a UUID, written in upper case as some consoles show them. */
  private static final String UUID_KEY = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";

  /** An account number or PIN with leading zeros. */
  private static final String ACCOUNT = "000428173651907";

  /** A shorter one: printed as a number, 7 digits are left, fewer than the 8 Traces looks for. */
  private static final String SHORT_ACCOUNT = "0004281736";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider()
        .put("key", UUID_KEY)
        .put("account", ACCOUNT)
        .put("short", SHORT_ACCOUNT);
  }

  @Test
  void configprops_valueUnderADottedMapKey_convertedNotVerbatim_isMasked() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("management.endpoints.web.exposure.include", "configprops")
            .property("management.endpoint.configprops.show-values", "ALWAYS")
            .property("partner.keys[eu.west]", "ref+test:key")
            .property("partner.accounts[eu.west]", "ref+test:account")
            .property("partner.accounts[eu.north]", "ref+test:short")
            .property("partner.key", "ref+test:key")
            .run()) {
      ConfigurationPropertiesReportEndpoint endpoint =
          context.getBean(ConfigurationPropertiesReportEndpoint.class);
      List<String> beans = new ArrayList<>();
      endpoint
          .configurationProperties()
          .getContexts()
          .forEach(
              (id, descriptor) ->
                  descriptor
                      .getBeans()
                      .forEach(
                          (name, bean) ->
                              beans.add(bean.getPrefix() + " " + bean.getProperties())));
      String all = String.join("\n", beans);
      String withPrefix =
          String.valueOf(
              endpoint.configurationPropertiesWithPrefix("partner").getContexts().values().stream()
                  .map(c -> c.getBeans().toString())
                  .toList());
      String partner =
          beans.stream().filter(b -> b.startsWith("partner ")).findFirst().orElseThrow();
      // The top-level property is masked, as the starter intends.
      assertThat(partner).contains("key=******");
      Leaks.assertNoLeak("/actuator/configprops", all, ACCOUNT);
      assertThat(all).doesNotContain("4281736");
      Leaks.assertNoLeak("/actuator/configprops/partner", withPrefix, ACCOUNT);
      assertThat(all.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(UUID_KEY.toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Partner.class)
  static class App {}

  @ConfigurationProperties("partner")
  public static class Partner {
    private UUID key;
    private final Map<String, UUID> keys = new LinkedHashMap<>();
    private final Map<String, Long> accounts = new LinkedHashMap<>();

    public UUID getKey() {
      return key;
    }

    public void setKey(UUID key) {
      this.key = key;
    }

    public Map<String, UUID> getKeys() {
      return keys;
    }

    public Map<String, Long> getAccounts() {
      return accounts;
    }
  }
}
