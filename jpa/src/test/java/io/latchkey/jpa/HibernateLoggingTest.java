package io.latchkey.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.Leaks;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's own logging at every level while an entity with {@code @Encrypted} attributes is
 * persisted, loaded and updated: its listing of the entities a flush wrote shows their values
 * through the type, which masks them. (An attribute encrypted with a portable {@code @Convert}
 * converter is listed with its plaintext: jpa-and-jackson.md says so.)
 */
final class HibernateLoggingTest {
  static final String NOTE = "canary-note-hunter2-audit";
  static final String HEADER = "canary-header-hunter3-audit";
  static final String API_KEY = "sk-canary-api-key-0123456789abcdef-audit";
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  static {
    // The JBoss Logging provider Hibernate uses is JUL unless told otherwise; make it explicit.
    System.setProperty("org.jboss.logging.provider", "jdk");
  }

  private static final List<String> LINES = new ArrayList<>();
  private static final Logger HIBERNATE = Logger.getLogger("org.hibernate");
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          String msg = r.getMessage();
          Object[] params = r.getParameters();
          if (params != null && params.length > 0 && msg != null) {
            try {
              msg = java.text.MessageFormat.format(msg, params);
            } catch (IllegalArgumentException e) {
              msg = msg + " " + java.util.Arrays.toString(params);
            }
          }
          synchronized (LINES) {
            LINES.add(r.getLoggerName() + " " + r.getLevel() + " " + msg);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private static EntityManagerFactory emf;

  @BeforeAll
  static void open() {
    HIBERNATE.setLevel(Level.ALL);
    HIBERNATE.addHandler(CAPTURE);
    emf =
        Units.open(
            "jdbc:h2:mem:latchkey-audit-log;DB_CLOSE_DELAY=-1",
            "sa",
            Map.of(LatchkeyJpa.KEY_RING, RING),
            Credential.class);
  }

  @AfterAll
  static void close() {
    HIBERNATE.removeHandler(CAPTURE);
    HIBERNATE.setLevel(null);
    if (emf != null) {
      emf.close();
    }
  }

  private static List<String> leaking(String canary) {
    List<String> out = new ArrayList<>();
    synchronized (LINES) {
      for (String line : LINES) {
        if (Leaks.findLeak(line, canary) != null) {
          out.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
        }
      }
    }
    return out;
  }

  @Test
  void persistLoadUpdate_debugListingOfHibernate_showsEncryptedValuesMasked() {
    UUID id = UUID.randomUUID();
    Units.run(
        emf,
        em ->
            em.persist(
                new Credential(
                    id, "llm", Secret.of(API_KEY), NOTE, "blob".getBytes(StandardCharsets.UTF_8))));
    Units.run(
        emf,
        em -> {
          Credential c = em.find(Credential.class, id);
          c.note = NOTE + "-changed";
        });

    synchronized (LINES) {
      // Captured at all: the flush's listing of the entities it wrote, through the type.
      assertThat(LINES).anyMatch(l -> l.contains("Credential{") && l.contains("[encrypted]"));
    }
    assertThat(leaking(NOTE)).as("log lines with an encrypted attribute's plaintext").isEmpty();
  }
}
