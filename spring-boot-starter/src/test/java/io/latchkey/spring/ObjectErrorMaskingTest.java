package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.testsupport.Leaks;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * A class-level validation error (an ObjectError, from errors.reject) whose reason shows a part of
 * a value bound from a reference (a URL's user info): the reason is replaced by its code.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ObjectErrorMaskingTest {
  private static final String PASSWORD = "urlpw-9c2e7f4a1b";
  private static final String URL = "http://svc:" + PASSWORD + "@partner.example.com/api";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("url", URL);
  }

  @Test
  void classLevelRejectionShowingUserInfo_isReportedWithoutIt(CapturedOutput output) {
    Throwable thrown =
        catchThrowable(
            () -> TestApps.of(App.class).property("partner.url", "ref+test:url").run().close());
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak(thrown, PASSWORD);
    Leaks.assertNoLeak("start-up output", output.getAll(), PASSWORD);
    assertThat(output.getOut())
        .contains("rejected (credentials; the validator's message is not shown");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Partner.class)
  static class App {}

  @ConfigurationProperties("partner")
  public static class Partner implements Validator {
    private URI url;

    public URI getUrl() {
      return url;
    }

    public void setUrl(URI url) {
      this.url = url;
    }

    @Override
    public boolean supports(Class<?> type) {
      return Partner.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      Partner p = (Partner) target;
      if (p.url != null && p.url.getUserInfo() != null) {
        errors.reject("credentials", "no credentials in the URL, found " + p.url.getUserInfo());
      }
    }
  }
}
