package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * "A failure with no value from a reference is Boot's own": a class that binds a Secret from a
 * reference and rejects only a plain property gets Boot's failure, with the validator's reason,
 * though the reason shares 8 characters ("https://") with the unrelated secret.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ValidationPlainFailureTest {
  private static final String HOOK = "https://hooks.example.net/services/T00/B00/Zq8xWk3";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("hook", HOOK);
  }

  private static Throwable start() {
    return catchThrowable(
        () ->
            TestApps.of(App.class)
                .property("partner.hook", "ref+test:hook")
                .property("partner.endpoint", "http://api.example.org/v1")
                .run()
                .close());
  }

  @Test
  void plainPropertyRejected_isBootsOwnFailure() {
    Throwable thrown = start();
    assertThat(thrown).hasRootCauseInstanceOf(BindValidationException.class);
  }

  @Test
  void plainPropertyRejected_keepsTheValidatorsReason(CapturedOutput output) {
    Throwable thrown = start();
    assertThat(thrown).isNotNull();
    assertThat(String.join("\n", Leaks.texts(thrown)) + output.getAll())
        .contains("must start with https://");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Partner.class)
  static class App {}

  @ConfigurationProperties("partner")
  public static class Partner implements Validator {
    private Secret hook;
    private URI endpoint;

    public Secret getHook() {
      return hook;
    }

    public void setHook(Secret hook) {
      this.hook = hook;
    }

    public URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(URI endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public boolean supports(Class<?> type) {
      return Partner.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      Partner p = (Partner) target;
      if (p.endpoint != null && !"https".equals(p.endpoint.getScheme())) {
        errors.rejectValue("endpoint", "https", "must start with https://");
      }
    }
  }
}
