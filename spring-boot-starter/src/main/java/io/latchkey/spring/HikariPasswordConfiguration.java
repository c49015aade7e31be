package io.latchkey.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.latchkey.Secret;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives Spring Boot's HikariCP pool the current database password: when {@code
 * spring.datasource.password} (or {@code .username}) is written as a reference, the pool opens each
 * connection through a {@link CurrentPasswordDataSource}, with the pool's driver properties and
 * driver class, and a rotation of the reference evicts its idle connections, so the next
 * connections use the new password; a login the database refuses before the cache has learnt of the
 * rotation is retried once after the references are asked again (see {@link
 * CurrentPasswordDataSource}). {@code latchkey.datasource.enabled=false} turns it off.
 *
 * <p>Only the pool built from {@code spring.datasource.*} is wired: one whose user name and
 * password are those the references currently resolve to (and whose URL is {@code
 * spring.datasource.url}, when that is set). An application's other pools keep their own
 * credentials: handing them the main database's password would send it to another server.
 */
@AutoConfiguration
@ConditionalOnClass(HikariDataSource.class)
class HikariPasswordConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentPasswordDataSource.class);

  // Static: a post-processor is created before the configuration class's other beans.
  @Bean
  static BeanPostProcessor latchkeyHikariPassword(
      ObjectProvider<LatchkeyRuntime> runtime, Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
          LatchkeyRuntime found = runtime.getIfAvailable();
          if (found != null && found.settings().dataSource) {
            wire(pool, beanName, found, environment);
          }
        }
        return bean;
      }
    };
  }

  private static void wire(
      HikariDataSource pool, String beanName, LatchkeyRuntime runtime, Environment environment) {
    ReferenceProperty password = runtime.property("spring.datasource.password");
    ReferenceProperty username = runtime.property("spring.datasource.username");
    if (password == null && username == null) {
      return;
    }
    if (!builtFromSpringDatasource(pool, password, username, runtime, environment)) {
      LOG.debug(
          "data source {} has credentials or a URL of its own, not spring.datasource.*: left as"
              + " it is",
          beanName);
      return;
    }
    if (pool.isRunning() || pool.getDataSource() != null || pool.getJdbcUrl() == null) {
      LOG.warn(
          "data source {}: its connections cannot be given the current password (the pool is"
              + " already running, or is not configured by URL)",
          beanName);
      return;
    }
    String fixedUser = pool.getUsername();
    String fixedPassword = pool.getPassword();
    Supplier<Secret> user =
        username != null
            ? new SecretHolder(username.ref(), runtime)
            : () -> Secret.of(fixedUser == null ? "" : fixedUser);
    Supplier<Secret> pass =
        password != null
            ? new SecretHolder(password.ref(), runtime)
            : () -> Secret.of(fixedPassword == null ? "" : fixedPassword);
    CurrentPasswordDataSource current =
        CurrentPasswordDataSource.of(pool.getJdbcUrl(), user, pass)
            .withDriverProperties(pool.getDataSourceProperties());
    if (pool.getDriverClassName() != null) {
      current = current.withDriverClassName(pool.getDriverClassName());
    }
    // Once it has a data source, the pool ignores its URL, driver class and driver properties:
    // they are carried over above.
    pool.setDataSource(current);
    // The pool would otherwise pass the user and password it was configured with, fixed at
    // start-up, to every getConnection call.
    pool.setUsername(null);
    pool.setPassword(null);
    Runnable evict =
        () -> {
          HikariPoolMXBean mx = pool.getHikariPoolMXBean();
          if (mx != null) {
            mx.softEvictConnections();
          }
        };
    if (password != null) {
      runtime.onRotation(password.ref(), evict);
    }
    if (username != null && (password == null || !username.ref().equals(password.ref()))) {
      runtime.onRotation(username.ref(), evict);
    }
  }

  /**
   * Tells whether the pool was configured from {@code spring.datasource.*}: each credential written
   * as a reference is the reference's current value, each one written in plain is that value, and
   * the URL is {@code spring.datasource.url} when that is set.
   */
  private static boolean builtFromSpringDatasource(
      HikariDataSource pool,
      ReferenceProperty password,
      ReferenceProperty username,
      LatchkeyRuntime runtime,
      Environment environment) {
    String url = environment.getProperty("spring.datasource.url");
    if (url != null && !url.equals(pool.getJdbcUrl())) {
      return false;
    }
    return sameCredential(
            pool.getPassword(), password, "spring.datasource.password", runtime, environment)
        && sameCredential(
            pool.getUsername(), username, "spring.datasource.username", runtime, environment);
  }

  private static boolean sameCredential(
      String configured,
      ReferenceProperty reference,
      String property,
      LatchkeyRuntime runtime,
      Environment environment) {
    if (reference == null) {
      String plain = environment.getProperty(property);
      return plain == null || plain.equals(configured);
    }
    if (configured == null) {
      return false;
    }
    Secret current = runtime.resolve(reference.ref());
    Secret pool = Secret.of(configured);
    try {
      // Constant time, and no further copy of the secret as a String.
      return pool.matches(current);
    } finally {
      pool.wipe();
      current.wipe();
    }
  }
}
