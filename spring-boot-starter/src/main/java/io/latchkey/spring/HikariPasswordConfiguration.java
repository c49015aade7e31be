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

/**
 * Gives Spring Boot's HikariCP pool the current database password: when {@code
 * spring.datasource.password} (or {@code .username}) is written as a reference, the pool opens each
 * connection through a {@link CurrentPasswordDataSource}, and a rotation of the reference evicts
 * its idle connections, so the next connections use the new password. {@code
 * latchkey.datasource.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnClass(HikariDataSource.class)
class HikariPasswordConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentPasswordDataSource.class);

  // Static: a post-processor is created before the configuration class's other beans.
  @Bean
  static BeanPostProcessor latchkeyHikariPassword(ObjectProvider<LatchkeyRuntime> runtime) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
          LatchkeyRuntime found = runtime.getIfAvailable();
          if (found != null && found.settings().dataSource) {
            wire(pool, beanName, found);
          }
        }
        return bean;
      }
    };
  }

  private static void wire(HikariDataSource pool, String beanName, LatchkeyRuntime runtime) {
    ReferenceProperty password = runtime.property("spring.datasource.password");
    ReferenceProperty username = runtime.property("spring.datasource.username");
    if (password == null && username == null) {
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
    pool.setDataSource(CurrentPasswordDataSource.of(pool.getJdbcUrl(), user, pass));
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
}
