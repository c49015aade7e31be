package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The application's one resolver at work: the beans it registers, health, the masked report,
 * rotation events, holders, the pool's current password, and closing with the context.
 */
@ExtendWith(OutputCaptureExtension.class)
final class RuntimeTest {
  private static final String CANARY = "canary-5e884898da28047151d0e56f";
  private static final String ROTATED = "canary-rotated-9f86d081884c7d65";

  private MutableClock clock;
  private MapProvider provider;

  @BeforeEach
  void provider() {
    clock = TestCustomizer.freshClock();
    provider = TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void oneResolver_registeredAsBeans_closedWithTheContext() {
    SecretResolver resolver;
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.token", "ref+test:partner").run()) {
      resolver = context.getBean(SecretResolver.class);
      assertThat(context.getBean(LatchkeySecrets.class).resolver()).isSameAs(resolver);
      assertThat(context.getBean(LatchkeySecrets.class).references())
          .containsOnlyKeys("partner.token");
      assertThat(resolver.resolve("test:partner").reveal()).isEqualTo(CANARY);
    }
    assertThatThrownBy(() -> resolver.resolve("test:partner"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theResolver_isClosedAfterTheBeansThatUseIt_evenWhenABeanInjectsIt() {
    // Injected, the resolver is a bean of its own; as an AutoCloseable it would be closed in its
    // place in the destruction order, before the beans created before it.
    Farewell.SEEN.clear();
    try (ConfigurableApplicationContext context =
        TestApps.of(WithFarewell.class).property("partner.token", "ref+test:partner").run()) {
      assertThat(context.getBean(ResolverUser.class).resolver)
          .isSameAs(context.getBean(SecretResolver.class));
    }
    assertThat(Farewell.SEEN).containsExactly("read");
  }

  @Test
  void referencesLoadOnAThreadOfTheirOwn_whileSpringCreatesTheBeans() {
    // The fetch waits for a bean that reads no secret: were the load done before Spring went on
    // (as it was), the bean would never be created and the fetch would wait out its bound.
    CountDownLatch opened = new CountDownLatch(1);
    provider.holdUntil(opened);
    Opener.latch = opened;
    try (ConfigurableApplicationContext context =
        TestApps.of(WithOpener.class).property("partner.token", "ref+test:partner").run()) {
      assertThat(provider.heldTooLong()).isFalse();
      assertThat(provider.fetchingThreads()).containsExactly("latchkey-start");
      assertThat(context.getBean(StartupGate.class).isRunning()).isTrue();
      assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(CANARY);
    } finally {
      Opener.latch = null;
    }
  }

  @Test
  void health_reportsProvidersInUse_andUnusedOnesAsUnused() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.token", "ref+test:partner").run()) {
      HealthView view =
          HealthView.of(
              context.getBean(LatchkeySecrets.class), context.getBean(LatchkeyRuntime.class));
      assertThat(view.status()).isEqualTo("UP");
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> providers =
          (Map<String, Map<String, Object>>) view.details().get("providers");
      assertThat(providers.get("test")).containsEntry("status", "OK");
      // On the class path, named by no reference: says nothing about whether it would answer.
      assertThat(providers.get("env")).containsEntry("status", "UNUSED");
      assertThat(providers.get("aws")).containsEntry("status", "UNUSED");
    }
  }

  @Test
  void health_staleAfterAFailedRefresh_isDegraded() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.ttl", "1m")
            .run()) {
      LatchkeySecrets secrets = context.getBean(LatchkeySecrets.class);
      provider.down(true);
      clock.advance(Duration.ofMinutes(2));
      assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(CANARY);
      assertThat(HealthView.of(secrets, context.getBean(LatchkeyRuntime.class)).status())
          .isEqualTo(HealthView.DEGRADED);
    }
  }

  @Test
  void endpoint_reportsReferencesAndSchema_withoutAValue() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .property("PARTNER_TOKEN", "ref+test:partner")
            .property("latchkey.schema", "classpath:schema-good.json")
            .property("management.endpoints.web.exposure.include", "latchkey")
            .run()) {
      Config config = context.getBean(Config.class);
      assertThat(config.get("PARTNER_TOKEN", Secret.class).reveal()).isEqualTo(CANARY);
      assertThat(config.origin("PARTNER_TOKEN").orElseThrow().toString())
          .isEqualTo("provider (test:partner)");

      Map<String, Object> report = context.getBean(LatchkeyEndpoint.class).report();
      String text = report.toString();
      assertThat(text)
          .contains("property=partner.token")
          .contains("reference=test:partner")
          .contains("setting=PARTNER_TOKEN")
          .contains("setting=SERVER_PORT, source=default, value=8080");
      Leaks.assertNoLeak("the latchkey endpoint", text, CANARY);
    }
  }

  @Test
  void rotation_publishesAnEvent_andHoldersReturnTheNewValue() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithHolder.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.ttl", "1m")
            .run()) {
      SecretHolder holder = context.getBean(SecretHolder.class);
      Rotations rotations = context.getBean(Rotations.class);
      assertThat(holder.get().reveal()).isEqualTo(CANARY);

      provider.put("partner", ROTATED);
      clock.advance(Duration.ofMinutes(2));
      assertThat(context.getBean(LatchkeySecrets.class).refresh()).isEqualTo(1);

      assertThat(rotations.events).hasSize(1);
      SecretRotatedEvent event = rotations.events.get(0);
      assertThat(event.ref().toString()).isEqualTo("test:partner");
      assertThat(event.properties()).containsExactly("partner.token");
      assertThat(event.previousVersion()).contains("v1");
      assertThat(event.currentVersion()).contains("v2");
      Leaks.assertNoLeak("event", event.toString(), ROTATED);
      assertThat(holder.get().reveal()).isEqualTo(ROTATED);
      assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(ROTATED);
    }
  }

  @Test
  void rotation_aFailingCallback_doesNotStopTheOthersNorTheEvent(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithHolder.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.ttl", "1m")
            .run()) {
      LatchkeyRuntime runtime = context.getBean(LatchkeyRuntime.class);
      SecretRef ref = SecretRef.parse("test:partner");
      List<String> ran = new CopyOnWriteArrayList<>();
      runtime.onRotation(
          ref,
          () -> {
            throw new IllegalStateException("callback failed on " + ROTATED);
          });
      runtime.onRotation(ref, () -> ran.add("second"));

      provider.put("partner", ROTATED);
      clock.advance(Duration.ofMinutes(2));
      context.getBean(LatchkeySecrets.class).refresh();

      assertThat(ran).containsExactly("second");
      assertThat(context.getBean(Rotations.class).events).hasSize(1);
      assertThat(output.getOut())
          .contains("a rotation callback of secret test:partner failed with")
          .contains("IllegalStateException");
    }
    Leaks.assertNoLeak("log", output.getAll(), ROTATED);
  }

  @Test
  void pool_opensNewConnectionsWithTheRotatedPassword() throws SQLException {
    provider.put("db", "first-password");
    String url = "jdbc:h2:mem:rotation;DB_CLOSE_DELAY=-1";
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("spring.datasource.url", url)
            .property("spring.datasource.username", "app")
            .property("spring.datasource.password", "ref+test:db")
            .property("latchkey.ttl", "1m")
            .run()) {
      DataSource pool = context.getBean(DataSource.class);
      int before;
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        before = session(s);
        // What a rotation function does: the database first, then the secret.
        s.execute("ALTER USER APP SET PASSWORD 'second-password'");
      }
      provider.put("db", "second-password");
      clock.advance(Duration.ofMinutes(2));
      context.getBean(LatchkeySecrets.class).refresh();

      assertThatThrownBy(() -> DriverManager.getConnection(url, "app", "first-password"))
          .isInstanceOf(SQLException.class);
      // The pool's connection was evicted by the rotation: this one is opened anew, and only
      // the new password lets it in.
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        assertThat(session(s)).isNotEqualTo(before);
      }
      assertThat(pool.toString()).doesNotContain("second-password");
    }
  }

  private static int session(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT SESSION_ID()")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithOpener {
    @Bean
    Opener opener() {
      return new Opener();
    }
  }

  /** A bean that reads no secret and, once created, lets the test provider answer. */
  static final class Opener {
    static volatile CountDownLatch latch;

    Opener() {
      CountDownLatch l = latch;
      if (l != null) {
        l.countDown();
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithHolder {
    @Bean
    SecretHolder partnerToken(LatchkeySecrets secrets) {
      return secrets.holder("partner.token");
    }

    @Bean
    Rotations rotations() {
      return new Rotations();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WithFarewell {
    @Bean
    SecretHolder partnerToken(LatchkeySecrets secrets) {
      return secrets.holder("partner.token");
    }

    @Bean
    Farewell farewell(SecretHolder partnerToken) {
      return new Farewell(partnerToken);
    }

    @Bean
    ResolverUser resolverUser(SecretResolver resolver) {
      return new ResolverUser(resolver);
    }
  }

  /** Reads the secret when it is destroyed (to sign a last "deregister" call, say). */
  static final class Farewell implements org.springframework.beans.factory.DisposableBean {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();
    private final SecretHolder holder;

    Farewell(SecretHolder holder) {
      this.holder = holder;
    }

    @Override
    public void destroy() {
      try {
        SEEN.add(CANARY.equals(holder.get().reveal()) ? "read" : "another value");
      } catch (RuntimeException e) {
        SEEN.add(e.getClass().getName() + ": " + e.getMessage());
      }
    }
  }

  static final class ResolverUser {
    final SecretResolver resolver;

    ResolverUser(SecretResolver resolver) {
      this.resolver = resolver;
    }
  }

  static class Rotations {
    final List<SecretRotatedEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(SecretRotatedEvent event) {
      events.add(event);
    }
  }
}
