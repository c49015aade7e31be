package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.testsupport.Leaks;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
 * The masking of validation and expression failures at its edges: a rejected path inside a value
 * bound from a reference, or one element of a list bound from one; an expression that holds no
 * reference (Spring's own failure, though it shares characters with a secret); the injection point
 * a masked expression failure still names; a number's digits without their leading zeros.
 */
@ExtendWith(OutputCaptureExtension.class)
final class BindingMaskingReviewTest {
  private static final String PASSWORD = "urlpw-9c2e7f4a1b";
  private static final String URL = "http://svc:" + PASSWORD + "@partner.example.com/api";
  private static final String URLS = "https://ok.example.com/a," + URL;

  /** A webhook URL read as text by @Value: a secret, whose text starts with "https://". */
  private static final String HOOK = "https://hooks.example.net/services/T00/B00/Zq8xWk3";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("url", URL).put("urls", URLS).put("hook", HOOK);
  }

  private static void failedStartLeaksNothing(
      Class<?> app, String property, String ref, CapturedOutput output) {
    Throwable thrown = catchThrowable(() -> TestApps.of(app).property(property, ref).run().close());
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak("start-up output", output.getAll(), PASSWORD);
    Leaks.assertNoLeak(thrown, PASSWORD);
  }

  /**
   * A validator that rejects a nested path of a value bound from a reference (url.userInfo): the
   * error is reported as the reference's, without the rejected value.
   */
  @Test
  void validatorRejectingANestedPathOfAReferenceValue_valueLineShowsNoPassword(
      CapturedOutput output) {
    failedStartLeaksNothing(WithUserInfoCheck.class, "partner.url", "ref+test:url", output);
  }

  /** The same with one element of a list bound from one reference. */
  @Test
  void validatorRejectingOneElementOfAListBoundFromAReference_valueLineShowsNone(
      CapturedOutput output) {
    failedStartLeaksNothing(WithListCheck.class, "partner.urls", "ref+test:urls", output);
  }

  /**
   * An expression that holds no reference fails: Spring's own failure, though a secret read as text
   * shares 8 characters ("https://") with the expression.
   */
  @Test
  void unrelatedExpressionFailure_isSpringsOwn() {
    Throwable thrown =
        catchThrowable(
            () ->
                TestApps.of(WithUnrelatedSpel.class)
                    .property("partner.hook", "ref+test:hook")
                    .run()
                    .close());
    assertThat(thrown).isNotNull();
    String chain = String.join("\n", Leaks.texts(thrown));
    assertThat(chain).doesNotContain("(secret test:hook)");
    assertThat(chain).contains("nosuch");
  }

  /** The same failing expression with no secret read as text names its injection point. */
  @Test
  void control_expressionFailure_namesItsInjectionPoint() {
    Throwable thrown = catchThrowable(() -> TestApps.of(WithPlainSpel.class).run().close());
    assertThat(String.join("\n", Leaks.texts(thrown))).contains("parameter 0");
  }

  /**
   * A masked expression failure is a BeansException, as the one it replaces: Spring wraps it in an
   * UnsatisfiedDependencyException that names the parameter.
   */
  @Test
  void maskedExpressionFailure_namesItsInjectionPoint() {
    TestCustomizer.provider().put("quoted", "pw'Kx7Lq2Vm9Rt4");
    Throwable thrown =
        catchThrowable(
            () ->
                TestApps.of(WithSecretSpel.class)
                    .property("partner.password", "ref+test:quoted")
                    .run()
                    .close());
    assertThat(String.join("\n", Leaks.texts(thrown))).contains("parameter 0");
  }

  /** Traces says it finds "a number's digits without their leading zeros". */
  @Test
  void traces_numberWithoutItsLeadingZeros_isFound() {
    assertThat(Traces.shows("accounts={eu.west=4281736}", "0004281736")).isTrue();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(UserInfoChecked.class)
  static class WithUserInfoCheck {}

  @ConfigurationProperties("partner")
  public static class UserInfoChecked implements Validator {
    private URI url;

    public URI getUrl() {
      return url;
    }

    public void setUrl(URI url) {
      this.url = url;
    }

    @Override
    public boolean supports(Class<?> type) {
      return UserInfoChecked.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      UserInfoChecked v = (UserInfoChecked) target;
      if (v.url != null && v.url.getUserInfo() != null) {
        errors.rejectValue("url.userInfo", "credentials", "must be empty");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(ListChecked.class)
  static class WithListCheck {}

  @ConfigurationProperties("partner")
  public static class ListChecked implements Validator {
    private List<URI> urls = new ArrayList<>();

    public List<URI> getUrls() {
      return urls;
    }

    public void setUrls(List<URI> urls) {
      this.urls = urls;
    }

    @Override
    public boolean supports(Class<?> type) {
      return ListChecked.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
      ListChecked v = (ListChecked) target;
      for (int i = 0; i < v.urls.size(); i++) {
        if (!"https".equals(v.urls.get(i).getScheme())) {
          errors.rejectValue("urls[" + i + "]", "https", "must be https");
        }
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithPlainSpel {
    @Bean
    Integer broken(@Value("#{'abc'.nosuch()}") Integer x) {
      return x;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithSecretSpel {
    @Bean
    Integer passwordLength(@Value("#{'${partner.password}'.length()}") Integer length) {
      return length;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithUnrelatedSpel {
    @Bean
    String hookHolder(@Value("${partner.hook}") String hook) {
      return hook.substring(0, 5);
    }

    @Bean
    Integer broken(
        String hookHolder, @Value("#{'https://status.example.org/ping'.nosuch()}") Integer x) {
      return x;
    }
  }
}
