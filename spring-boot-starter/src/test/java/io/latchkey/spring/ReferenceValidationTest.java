package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * A {@code @ConfigurationProperties} class's own validation that rejects values bound from
 * references: Boot would quote each bound value in its exception and failure report; the starter
 * reports the property, the reference and the reason instead, with the values masked even where the
 * validator's message quotes them.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ReferenceValidationTest {
  private static final String URL_PASSWORD = "urlpw-9c2e7f4a1b";
  private static final String URL = "http://svc:" + URL_PASSWORD + "@partner.example.com/api";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("url", URL).put("timeout", "PT90S");
  }

  @Test
  void aRejectedValueBoundFromAReference_isReportedByReference_neverByValue(CapturedOutput output) {
    Throwable failure = null;
    try (ConfigurableApplicationContext context =
        TestApps.of(WithValidated.class)
            .property("partner.url", "ref+test:url")
            .property("partner.timeout", "ref+test:timeout")
            .property("partner.label", "plain-label")
            .run()) {
      assertThat(context).isNull();
    } catch (RuntimeException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        chain.append(s).append('\n');
      }
    }
    String all = output.getAll() + chain;
    for (String leak : new String[] {URL_PASSWORD, URL, "PT1M30S", "PT90S"}) {
      assertThat(all).as("output and exception chain").doesNotContain(leak);
    }
    assertThat(output.getAll())
        .contains("Binding to target")
        .contains("Property: partner.url")
        .contains("Value: the secret reference test:url")
        .contains("Reason: must be https, not ***")
        .contains("Property: partner.timeout")
        .contains("Reason: at most a minute, not ***")
        .contains("Property: partner.label")
        .contains("Value: \"plain-label\"")
        .contains("Reason: must not be plain-label");
    ReferenceBindException cause = find(failure);
    assertThat(cause.errors())
        .extracting(ReferenceBindException.Rejection::property)
        .containsExactly("partner.url", "partner.timeout", "partner.label");
  }

  @Test
  void aValidationFailure_withNoReference_isBootsOwn() {
    assertThatThrownBy(
            () ->
                TestApps.of(WithValidated.class)
                    .property("partner.label", "plain-label")
                    .run()
                    .close())
        .rootCause()
        .isInstanceOf(
            org.springframework.boot.context.properties.bind.validation.BindValidationException
                .class);
  }

  private static ReferenceBindException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ReferenceBindException r) {
        return r;
      }
    }
    throw new AssertionError("no ReferenceBindException in the chain", t);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Validated.class)
  static class WithValidated {}

  /** Validates itself, and quotes the values it rejects, as validators often do. */
  @ConfigurationProperties("partner")
  static class Validated implements Validator {
    private URI url;
    private Duration timeout;
    private String label;

    public URI getUrl() {
      return url;
    }

    public void setUrl(URI url) {
      this.url = url;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public String getLabel() {
      return label;
    }

    public void setLabel(String label) {
      this.label = label;
    }

    @Override
    public boolean supports(Class<?> type) {
      return Validated.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      Validated v = (Validated) target;
      if (v.url != null && !"https".equals(v.url.getScheme())) {
        errors.rejectValue("url", "scheme", "must be https, not " + v.url);
      }
      if (v.timeout != null && v.timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        errors.rejectValue("timeout", "max", "at most a minute, not " + v.timeout);
      }
      if ("plain-label".equals(v.label)) {
        errors.rejectValue("label", "label", "must not be " + v.label);
      }
    }
  }
}
