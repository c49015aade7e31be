package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/** Rotation without a restart, through the starter and its data source. */
final class RotationTest {
  private static final String FIRST = "canary-first-5e884898da28047151d0";
  private static final String ROTATED = "canary-rotated-9f86d081884c7d65";

  private MutableClock clock;
  private MapProvider provider;

  @BeforeEach
  void provider() {
    clock = TestCustomizer.freshClock();
    provider = TestCustomizer.provider().put("partner", FIRST);
    Recorder.SEEN.clear();
  }

  /**
   * A rotation that a bean's own shutdown read brings in (or the watch thread finds) while the
   * context is closing reaches the application's listeners after {@code ContextClosedEvent}: the
   * runtime only stops publishing once it is itself destroyed, last of all.
   */
  @Test
  void rotationFoundWhileTheContextCloses_isNotPublishedAfterContextClosedEvent() {
    ConfigurableApplicationContext context =
        TestApps.of(WithShutdownRead.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.ttl", "1m")
            .run();
    provider.put("partner", ROTATED);
    clock.advance(Duration.ofMinutes(2));
    context.close();

    assertThat(Recorder.SEEN).startsWith("closed");
    assertThat(Recorder.SEEN).as("events after ContextClosedEvent").containsExactly("closed");
  }

  /**
   * JDBC's contract: a data source reports a failure to open a connection as an {@link
   * SQLException}. When the provider is down and nothing may be served stale, the wrapper lets the
   * resolver's {@link ProviderException} (unchecked) escape instead, past every caller that handles
   * {@code SQLException} (Spring's {@code DataSourceUtils}, a pool's retry).
   */
  @Test
  void backendDownAtTheReRead_isAnSqlException() {
    SecretRef ref = SecretRef.parse("test:db");
    CurrentPasswordDataSource source =
        CurrentPasswordDataSource.of(
            "jdbc:h2:mem:rotation-down",
            "sa",
            () -> {
              throw new ProviderException(
                  ref, ProviderException.Kind.UNAVAILABLE, "the test backend is down");
            });
    assertThatThrownBy(source::getConnection)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("secret test:db")
        .hasMessageContaining("the test backend is down")
        .hasCauseInstanceOf(ProviderException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("08001");
  }

  /**
   * HikariCP sets the data source's login time-out from its {@code connectionTimeout}; its own
   * driver data source (replaced by the starter's wiring) passes it on to the driver through {@link
   * DriverManager#setLoginTimeout}. The wrapper stores it and never uses it, so a database that
   * hangs in the login is no longer bounded by it.
   */
  @Test
  void loginTimeout_reachesTheDriver() throws SQLException {
    CurrentPasswordDataSource source =
        CurrentPasswordDataSource.of("jdbc:record:rotation-timeout/x", "sa", () -> Secret.of(""))
            .withDriverClassName(RecordingDriver.class.getName());
    int before = DriverManager.getLoginTimeout();
    try {
      source.setLoginTimeout(7);
      try (Connection c = source.getConnection()) {
        assertThat(c).isNotNull();
      }
      assertThat(RecordingDriver.loginTimeoutSeenBy("rotation-timeout"))
          .as("the login time-out the driver sees while it connects")
          .isEqualTo(7);
    } finally {
      DriverManager.setLoginTimeout(before);
    }
  }

  /**
   * The docs compare the pool integration to the AWS JDBC wrapper, whose point is that a login
   * refused after a rotation re-reads the secret from the backend and retries. Here the database
   * already takes only the new password and the backend already serves it, but the wrapper keeps
   * sending the cached old password, so every new connection fails until the time-to-live ends.
   */
  @Test
  void loginRefusedAfterARotation_reReadsTheSecret_asTheAwsJdbcWrapperDoes() throws Exception {
    provider.put("db", "first-password");
    String url = "jdbc:h2:mem:rotation-refused;DB_CLOSE_DELAY=-1";
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("spring.datasource.url", url)
            .property("spring.datasource.username", "app")
            .property("spring.datasource.password", "ref+test:db")
            .property("latchkey.ttl", "5m")
            .run()) {
      DataSource pool = context.getBean(DataSource.class);
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        // The rotation function: the database, then the secret.
        s.execute("ALTER USER APP SET PASSWORD 'second-password'");
      }
      provider.put("db", "second-password");
      // A minute later the pool opens a connection (a connection reached its max lifetime).
      clock.advance(Duration.ofMinutes(1));
      DataSource current = pool.unwrap(HikariDataSource.class).getDataSource();
      assertThatCode(() -> current.getConnection().close())
          .as("a new connection once the database and the backend both have the new password")
          .doesNotThrowAnyException();
    }
  }

  /**
   * A field's version is its whole secret's (AWS gives one version id to the secret): rotating the
   * password of {@code prod/db} publishes a rotation of the password property, and none of the user
   * name, whose value stayed.
   */
  @Test
  void aRotationOfThePasswordField_isNotAnnouncedForTheUnchangedUserField() {
    try (FakeSecretsManager aws = FakeSecretsManager.start()) {
      aws.putSecretString("prod/db", "{\"username\":\"sa\",\"password\":\"\"}");
      TestApps app =
          TestApps.of(WithRecorder.class)
              .property("spring.datasource.url", "jdbc:h2:mem:rotation-fields;DB_CLOSE_DELAY=-1")
              .property("spring.datasource.username", "ref+aws:prod/db#username")
              .property("spring.datasource.password", "ref+aws:prod/db#password")
              .property("latchkey.ttl", "1m");
      aws.environment().forEach((k, v) -> app.property("latchkey.environment." + k, v));
      try (ConfigurableApplicationContext context = app.run()) {
        aws.putSecretString("prod/db", "{\"username\":\"sa\",\"password\":\"" + ROTATED + "\"}");
        clock.advance(Duration.ofMinutes(2));
        context.getBean(LatchkeySecrets.class).refresh();

        assertThat(Recorder.SEEN).contains("rotated spring.datasource.password");
        assertThat(Recorder.SEEN)
            .as("events for a value that did not change")
            .doesNotContain("rotated spring.datasource.username");
      }
    }
  }

  /**
   * {@link CurrentPasswordDataSource#of(String, java.util.function.Supplier,
   * java.util.function.Supplier)} is documented for a secret that holds both the user name and the
   * password, as AWS's alternating-users rotation writes them. It reads the two as two references,
   * each from its own cache entry refreshed on its own: once the user name's refresh has stored the
   * new version and the password's has not, a connection is opened with the new user and the old
   * password, a pair that was never valid.
   */
  @Test
  void alternatingUsers_aConnectionNeverMixesTheNewUserWithTheOldPassword() throws Exception {
    String url = "jdbc:h2:mem:rotation-alternating;DB_CLOSE_DELAY=-1";
    try (Connection admin = DriverManager.getConnection(url, "sa", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE USER APP_A PASSWORD 'password-a' ADMIN");
      s.execute("CREATE USER APP_B PASSWORD 'password-b' ADMIN");
    }
    MutableClock own = new MutableClock();
    FieldsProvider fields = new FieldsProvider(own);
    fields.put("app_a", "password-a");
    SecretRef user = SecretRef.parse("alt:prod/db#username");
    SecretRef pass = SecretRef.parse("alt:prod/db#password");
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(fields)
            .clock(own)
            .jitter(0)
            .ttl(Duration.ofMinutes(1))
            .build()) {
      CurrentPasswordDataSource source =
          CurrentPasswordDataSource.of(
              url, () -> resolver.resolve(user), () -> resolver.resolve(pass));
      source.getConnection().close();

      // The rotation: the database already has APP_B; the secret now names it.
      fields.put("app_b", "password-b");
      CountDownLatch passwordFetch = new CountDownLatch(1);
      fields.holdPasswordUntil(passwordFetch);
      own.advance(Duration.ofMinutes(2));
      try {
        // Both reads start a background refresh and are served the version held.
        assertThatCode(() -> source.getConnection().close())
            .as("the first connection after the time-to-live")
            .doesNotThrowAnyException();
        Waiting.until(
            "the user name's background refresh",
            () -> "app_b".equals(resolver.resolve(user).reveal()));

        assertThatCode(() -> source.getConnection().close())
            .as("a connection opened while the rotation is half-loaded")
            .doesNotThrowAnyException();
      } finally {
        passwordFetch.countDown();
      }
    }
  }

  /** Serves {@code #username} and {@code #password} of one secret, each fetched on its own. */
  static final class FieldsProvider implements SecretProvider {
    private final java.time.Clock clock;
    private String username;
    private String password;
    private int version;
    private volatile CountDownLatch hold;

    FieldsProvider(java.time.Clock clock) {
      this.clock = clock;
    }

    synchronized void put(String username, String password) {
      this.username = username;
      this.password = password;
      version++;
    }

    void holdPasswordUntil(CountDownLatch latch) {
      hold = latch;
    }

    @Override
    public String name() {
      return "alt";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      String field = ref.field().orElseThrow();
      CountDownLatch latch = hold;
      if (latch != null && field.equals("password")) {
        try {
          if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("held too long");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      synchronized (this) {
        String value = field.equals("username") ? username : password;
        return SecretVersion.of(Secret.of(value), "v" + version, clock.instant());
      }
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "alternating users";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithRecorder {
    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithShutdownRead {
    @Bean
    SecretHolder partnerToken(LatchkeySecrets secrets) {
      return secrets.holder("partner.token");
    }

    @Bean
    Recorder recorder() {
      return new Recorder();
    }

    @Bean
    LastRead lastRead(SecretHolder partnerToken) {
      return new LastRead(partnerToken);
    }
  }

  /** Signs a last "deregister" call with the token when it is destroyed. */
  static final class LastRead implements DisposableBean {
    private final SecretHolder holder;

    LastRead(SecretHolder holder) {
      this.holder = holder;
    }

    @Override
    public void destroy() {
      holder.get().wipe();
    }
  }

  static final class Recorder {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @EventListener
    void on(SecretRotatedEvent event) {
      SEEN.add("rotated " + String.join(",", event.properties()));
    }

    @EventListener
    void on(ContextClosedEvent event) {
      SEEN.add("closed");
    }
  }
}
