package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.testsupport.Leaks;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * A value bound from a reference that the application's own code rejects while binding (a record's
 * compact constructor, a setter) with a message that quotes its argument, and an expression over a
 * placeholder of a reference that fails: the failure report, the log and the exception chain name
 * the property and the reference, never the value.
 */
@ExtendWith(OutputCaptureExtension.class)
final class BindingFailureMaskingTest {
  private static final String PASSWORD = "urlpw-9c2e7f4a1b";
  private static final String URL = "http://svc:" + PASSWORD + "@partner.example.com/api";

  /** A password with a quote, as generated passwords often have. */
  private static final String QUOTED = "pw'Kx7Lq2Vm9Rt4";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("url", URL).put("quoted", QUOTED);
  }

  private static String chain(Throwable failure) {
    return failure == null ? "" : String.join("\n", Leaks.texts(failure));
  }

  /** Starts the application, which must fail, and checks that no channel shows the password. */
  private static String failedStart(Class<?> app, String property, CapturedOutput output) {
    Throwable thrown =
        catchThrowable(() -> TestApps.of(app).property(property, "ref+test:url").run().close());
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak("start-up output", output.getAll(), PASSWORD);
    Leaks.assertNoLeak(thrown, PASSWORD);
    return output.getOut();
  }

  @Test
  void recordCompactConstructorQuotingItsArgument_isReportedWithoutTheValue(CapturedOutput output) {
    assertThat(failedStart(WithRecord.class, "partner.endpoint", output))
        .contains("Property: partner.endpoint")
        .contains("Value: the secret reference test:url")
        .contains("java.lang.IllegalArgumentException (its message is not shown");
  }

  @Test
  void setterQuotingItsArgument_isReportedWithoutTheValue(CapturedOutput output) {
    assertThat(failedStart(WithBean.class, "partner.endpoint", output))
        .contains("Property: partner.endpoint")
        .contains("Value: the secret reference test:url")
        .contains("java.lang.IllegalArgumentException (its message is not shown");
  }

  @Test
  void validatorQuotingAPartOfTheValue_isReportedWithoutIt(CapturedOutput output) {
    // Masked whole, the value would still show in part: a URI's user info holds the password.
    assertThat(failedStart(WithValidated.class, "partner.url", output))
        .contains("Property: partner.url")
        .contains("rejected (credentials; the validator's message is not shown");
  }

  @Test
  void spelOverAPlaceholderOfAReference_isReportedWithoutTheValue(CapturedOutput output) {
    Throwable thrown =
        catchThrowable(
            () ->
                TestApps.of(WithSpel.class)
                    .property("partner.password", "ref+test:quoted")
                    .run()
                    .close());
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak("start-up output", output.getAll(), QUOTED);
    Leaks.assertNoLeak(thrown, QUOTED);
    assertThat(chain(thrown))
        .contains("property partner.password (secret test:quoted)")
        .contains("the expression is not shown");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(StrictRecord.class)
  static class WithRecord {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(StrictBean.class)
  static class WithBean {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithSpel {
    @Bean
    Integer passwordLength(@Value("#{'${partner.password}'.length()}") Integer length) {
      return length;
    }
  }

  @ConfigurationProperties("partner")
  record StrictRecord(URI endpoint) {
    StrictRecord {
      if (endpoint != null && !"https".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException("endpoint must be https, not " + endpoint);
      }
    }
  }

  @ConfigurationProperties("partner")
  static class StrictBean {
    private URI endpoint;

    public URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(URI endpoint) {
      if (!"https".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException("endpoint must be https, not " + endpoint);
      }
      this.endpoint = endpoint;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Validated.class)
  static class WithValidated {}

  @ConfigurationProperties("partner")
  static class Validated implements Validator {
    private URI url;

    public URI getUrl() {
      return url;
    }

    public void setUrl(URI url) {
      this.url = url;
    }

    @Override
    public boolean supports(Class<?> type) {
      return Validated.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      Validated v = (Validated) target;
      if (v.url != null && v.url.getUserInfo() != null) {
        errors.rejectValue(
            "url", "credentials", "must carry no credentials: " + v.url.getUserInfo());
      }
    }
  }
}
