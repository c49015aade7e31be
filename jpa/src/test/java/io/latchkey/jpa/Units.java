package io.latchkey.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;
import org.hibernate.tool.schema.Action;

/** Persistence units for the tests, built in code, with statistics on. */
final class Units {
  private Units() {}

  static EntityManagerFactory open(
      String url, String user, Map<String, Object> properties, Class<?>... entities) {
    HibernatePersistenceConfiguration config =
        new HibernatePersistenceConfiguration("latchkey-test")
            .jdbcUrl(url)
            .jdbcCredentials(user, "")
            .managedClasses(entities)
            .schemaToolingAction(Action.CREATE_DROP)
            .collectStatistics(true);
    properties.forEach(config::property);
    return config.createEntityManagerFactory();
  }

  static Statistics statistics(EntityManagerFactory emf) {
    return emf.unwrap(SessionFactory.class).getStatistics();
  }

  /** Runs one transaction and commits it. */
  static void run(EntityManagerFactory emf, Consumer<EntityManager> work) {
    inTransaction(
        emf,
        em -> {
          work.accept(em);
          return null;
        });
  }

  static <T> T inTransaction(EntityManagerFactory emf, Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      T result = work.apply(em);
      em.getTransaction().commit();
      return result;
    } finally {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      em.close();
    }
  }
}
