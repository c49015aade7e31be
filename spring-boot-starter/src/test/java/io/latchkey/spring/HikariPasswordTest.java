package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.latchkey.testsupport.Leaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pool integration wires only the pool built from {@code spring.datasource.*}, and keeps that
 * pool's driver properties and driver class.
 */
final class HikariPasswordTest {
  private static final String DB_SECRET = "canary-db-2c26b46b68ffc68ff99b";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("db", DB_SECRET);
    RecordingDriver.reset();
  }

  @AfterEach
  void reset() {
    RecordingDriver.reset();
  }

  @Test
  void anotherPool_keepsItsOwnPassword_theMainPoolGetsTheSecret() throws Exception {
    RecordingDriver.registered(
        () -> {
          try (ConfigurableApplicationContext context =
              TestApps.of(WithReportingPool.class)
                  .property("spring.datasource.url", "jdbc:record:main-host/app")
                  .property("spring.datasource.driver-class-name", RecordingDriver.class.getName())
                  .property("spring.datasource.username", "app")
                  .property("spring.datasource.password", "ref+test:db")
                  .run()) {
            HikariDataSource reporting = context.getBean("reporting", HikariDataSource.class);
            open(reporting);
            assertThat(reporting.getDataSource()).isNull();
            assertThat(RecordingDriver.sentTo("reporting-host"))
                .containsEntry("user", "report")
                .containsEntry("password", "report-own-password");

            DataSource main = context.getBean("dataSource", DataSource.class);
            assertThat(main).isNotSameAs(reporting);
            open(main);
            assertThat(main.unwrap(HikariDataSource.class).getDataSource())
                .isInstanceOf(CurrentPasswordDataSource.class);
            assertThat(RecordingDriver.sentTo("main-host"))
                .containsEntry("user", "app")
                .containsEntry("password", DB_SECRET);
            Leaks.assertNoLeak("pool", main.toString(), DB_SECRET);
          }
        });
  }

  @Test
  void aPoolOnlyAlike_isLeftAlone() throws Exception {
    // The same URL and user as spring.datasource.*, but a password of its own.
    RecordingDriver.registered(
        () -> {
          try (ConfigurableApplicationContext context =
              TestApps.of(WithLookalikePool.class)
                  .property("spring.datasource.url", "jdbc:record:reporting-host/reports")
                  .property("spring.datasource.username", "report")
                  .property("spring.datasource.password", "ref+test:db")
                  .run()) {
            HikariDataSource lookalike = context.getBean("reporting", HikariDataSource.class);
            open(lookalike);
            assertThat(RecordingDriver.sentTo("reporting-host"))
                .containsEntry("password", "report-own-password");
          }
        });
  }

  @Test
  void driverProperties_surviveTheWiring_h2ModeIsKept() throws SQLException {
    TestCustomizer.provider().put("db", "");
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("spring.datasource.url", "jdbc:h2:mem:dsp1")
            .property("spring.datasource.username", "sa")
            .property("spring.datasource.password", "ref+test:db")
            .property("spring.datasource.hikari.data-source-properties.MODE", "PostgreSQL")
            .run()) {
      DataSource pool = context.getBean(DataSource.class);
      assertThat(pool.unwrap(HikariDataSource.class).getDataSource())
          .isInstanceOf(CurrentPasswordDataSource.class);
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                      + " WHERE SETTING_NAME = 'MODE'")) {
        r.next();
        assertThat(r.getString(1)).isEqualTo("PostgreSQL");
      }
    }
  }

  @Test
  void driverPropertiesAndDriverClass_reachTheDriver_passwordFromTheSecret() throws SQLException {
    // Not registered with DriverManager: only the driver class name finds it.
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("spring.datasource.url", "jdbc:record:tls-host/app")
            .property("spring.datasource.driver-class-name", RecordingDriver.class.getName())
            .property("spring.datasource.username", "app")
            .property("spring.datasource.password", "ref+test:db")
            .property("spring.datasource.hikari.data-source-properties.sslmode", "verify-full")
            .property("spring.datasource.hikari.data-source-properties.password", "not-this-one")
            .run()) {
      open(context.getBean(DataSource.class));
      assertThat(RecordingDriver.sentTo("tls-host"))
          .containsEntry("sslmode", "verify-full")
          .containsEntry("user", "app")
          .containsEntry("password", DB_SECRET);
    }
  }

  private static void open(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  /** A second pool beside Boot's, as Boot's documentation shows it: not a default candidate. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithReportingPool {
    @Bean(defaultCandidate = false)
    HikariDataSource reporting() {
      HikariDataSource pool = new HikariDataSource();
      pool.setJdbcUrl("jdbc:record:reporting-host/reports");
      pool.setUsername("report");
      pool.setPassword("report-own-password");
      return pool;
    }
  }

  /** The application's only pool, with spring.datasource.*'s URL and user but its own password. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithLookalikePool {
    @Bean
    HikariDataSource reporting() {
      HikariDataSource pool = new HikariDataSource();
      pool.setJdbcUrl("jdbc:record:reporting-host/reports");
      pool.setUsername("report");
      pool.setPassword("report-own-password");
      return pool;
    }
  }
}
