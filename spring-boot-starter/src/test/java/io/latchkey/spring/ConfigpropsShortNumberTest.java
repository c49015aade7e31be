package io.latchkey.spring;

import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * ConfigpropsConvertedValuesTest with an account number of 10 digits, 3 of them leading zeros: the
 * printed Long has 7 digits, under Traces' 8-character window, and is masked all the same.
 */
final class ConfigpropsShortNumberTest {
  private static final String ACCOUNT = "0004281736";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("account", ACCOUNT);
  }

  @Test
  void configprops_numberUnderADottedMapKey_withoutItsLeadingZeros_isMasked() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("management.endpoints.web.exposure.include", "configprops")
            .property("management.endpoint.configprops.show-values", "ALWAYS")
            .property("partner.accounts[eu.west]", "ref+test:account")
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
      Leaks.assertNoLeak("/actuator/configprops", String.join("\n", beans), "4281736");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Partner.class)
  static class App {}

  @ConfigurationProperties("partner")
  public static class Partner {
    private final Map<String, Long> accounts = new LinkedHashMap<>();

    public Map<String, Long> getAccounts() {
      return accounts;
    }
  }
}
