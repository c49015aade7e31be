package io.latchkey.bench;

import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.jpa.Encrypted;
import io.latchkey.jpa.EncryptedStringConverter;
import io.latchkey.jpa.LatchkeyJpa;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading 10,000 entities with one 64-character credential each through Hibernate ORM 7 on an
 * in-memory H2, in one transaction that loads them all and commits: the column stored as it is,
 * encrypted with {@code @Encrypted} (AES-256-GCM, bound to table and column), and encrypted with
 * the portable converter; and the encrypted column's tokens read as plain strings ({@code
 * read_tokens}), which separates the longer column from the decryption, and the plain column
 * through a converter that converts nothing ({@code read_identity}), which separates Hibernate's
 * converter path from the decryption. The commit runs the dirty check, which must decrypt or
 * encrypt nothing more. The {@code readAccounts_*} pair reads a wider row, eight plain columns
 * beside the key, as a service keeps its credentials.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar JpaBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(3)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class JpaBenchmark {
  static final int ROWS = 10_000;

  /** The credential stored as it is. */
  @Entity(name = "PlainCredential")
  @Table(name = "plain_credentials")
  public static class PlainCredential {
    @Id public Long id;

    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /**
   * The encrypted column's tokens, read as plain strings: the cost of the longer column alone,
   * without the converter or the decryption.
   */
  @Entity(name = "TokenCredential")
  @Table(name = "token_credentials")
  public static class TokenCredential {
    @Id public Long id;

    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /** The credential encrypted with {@link Encrypted}. */
  @Entity(name = "EncryptedCredential")
  @Table(name = "encrypted_credentials")
  public static class EncryptedCredential {
    @Id public Long id;

    @Encrypted
    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /** The credential encrypted with a portable converter. */
  @Entity(name = "ConvertedCredential")
  @Table(name = "converted_credentials")
  public static class ConvertedCredential {
    @Id public Long id;

    @Convert(converter = ApiKeyColumn.class)
    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /**
   * The credential stored as it is, through a converter that returns what it is given: the cost of
   * Hibernate's converter path alone, without the decryption.
   */
  @Entity(name = "IdentityCredential")
  @Table(name = "identity_credentials")
  public static class IdentityCredential {
    @Id public Long id;

    @Convert(converter = IdentityColumn.class)
    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /** The converter of {@link IdentityCredential#apiKey}: it converts nothing. */
  @Converter
  public static class IdentityColumn implements AttributeConverter<String, String> {
    @Override
    public String convertToDatabaseColumn(String attribute) {
      return attribute;
    }

    @Override
    public String convertToEntityAttribute(String column) {
      return column;
    }
  }

  /**
   * A credential row as a service keeps it: eight plain columns beside the key, stored as it is.
   */
  @Entity(name = "PlainAccount")
  @Table(name = "plain_accounts")
  public static class PlainAccount extends AccountColumns {
    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /** The same row with the key encrypted with {@link Encrypted}. */
  @Entity(name = "EncryptedAccount")
  @Table(name = "encrypted_accounts")
  public static class EncryptedAccount extends AccountColumns {
    @Encrypted
    @Column(name = "api_key", length = 512)
    public String apiKey;
  }

  /** The plain columns of an account row. */
  @jakarta.persistence.MappedSuperclass
  public abstract static class AccountColumns {
    @Id public Long id;
    public Long ownerId;
    public String provider;
    public String label;
    public String baseUrl;
    public String model;
    public java.time.Instant createdAt;
    public java.time.Instant updatedAt;
    public boolean enabled;

    void fill(long i) {
      id = i;
      ownerId = i % 97;
      provider = i % 2 == 0 ? "openai" : "anthropic";
      label = "key " + i;
      baseUrl = "https://api.example.com/v1";
      model = "model-" + (i % 5);
      createdAt = java.time.Instant.ofEpochSecond(1_700_000_000L + i);
      updatedAt = createdAt;
      enabled = true;
    }
  }

  /** The converter of {@link ConvertedCredential#apiKey}. */
  @Converter
  public static class ApiKeyColumn extends EncryptedStringConverter {
    /** Names the column. */
    public ApiKeyColumn() {
      super("converted_credentials", "api_key");
    }
  }

  private EntityManagerFactory emf;

  @Setup
  public void setUp() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate());
    AssociatedData column = AssociatedData.of("encrypted_credentials", "api_key");
    emf =
        new HibernatePersistenceConfiguration("bench")
            .jdbcUrl("jdbc:h2:mem:jpa-bench;DB_CLOSE_DELAY=-1")
            .jdbcCredentials("sa", "")
            .managedClasses(
                PlainCredential.class,
                TokenCredential.class,
                EncryptedCredential.class,
                ConvertedCredential.class,
                IdentityCredential.class,
                PlainAccount.class,
                EncryptedAccount.class)
            .schemaToolingAction(Action.CREATE_DROP)
            .property(LatchkeyJpa.KEY_RING, ring)
            .property("hibernate.jdbc.batch_size", 500)
            .createEntityManagerFactory();
    EntityManager em = emf.createEntityManager();
    em.getTransaction().begin();
    for (long i = 0; i < ROWS; i++) {
      String apiKey = "sk-" + Long.toHexString(0x1000_0000_0000_0000L + i * 7919) + "x".repeat(45);
      PlainCredential p = new PlainCredential();
      p.id = i;
      p.apiKey = apiKey;
      EncryptedCredential e = new EncryptedCredential();
      e.id = i;
      e.apiKey = apiKey;
      TokenCredential t = new TokenCredential();
      t.id = i;
      t.apiKey = ring.encrypt(apiKey.getBytes(StandardCharsets.UTF_8), column);
      ConvertedCredential c = new ConvertedCredential();
      c.id = i;
      c.apiKey = apiKey;
      IdentityCredential n = new IdentityCredential();
      n.id = i;
      n.apiKey = apiKey;
      PlainAccount pa = new PlainAccount();
      pa.fill(i);
      pa.apiKey = apiKey;
      EncryptedAccount ea = new EncryptedAccount();
      ea.fill(i);
      ea.apiKey = apiKey;
      em.persist(p);
      em.persist(e);
      em.persist(t);
      em.persist(c);
      em.persist(n);
      em.persist(pa);
      em.persist(ea);
      if (i % 500 == 499) {
        em.flush();
        em.clear();
      }
    }
    em.getTransaction().commit();
    em.close();
  }

  @TearDown
  public void tearDown() {
    emf.close();
  }

  private <T> long readAll(Class<T> type, java.util.function.ToIntFunction<T> length) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      List<T> all =
          em.createQuery("select c from " + type.getSimpleName() + " c", type).getResultList();
      long total = 0;
      for (T c : all) {
        total += length.applyAsInt(c);
      }
      em.getTransaction().commit();
      if (all.size() != ROWS) {
        throw new IllegalStateException("read " + all.size() + " rows");
      }
      return total;
    } finally {
      em.close();
    }
  }

  /** The baseline: the same rows, stored as they are. */
  @Benchmark
  public long read_plain() {
    return readAll(PlainCredential.class, c -> c.apiKey.length());
  }

  /** The tokens as plain strings: the longer column, no converter, no decryption. */
  @Benchmark
  public long read_tokens() {
    return readAll(TokenCredential.class, c -> c.apiKey.length());
  }

  /** Through a converter that converts nothing. */
  @Benchmark
  public long read_identity() {
    return readAll(IdentityCredential.class, c -> c.apiKey.length());
  }

  /** Through {@code @Encrypted}. */
  @Benchmark
  public long read_encrypted() {
    return readAll(EncryptedCredential.class, c -> c.apiKey.length());
  }

  /** The wider row, stored as it is. */
  @Benchmark
  public long readAccounts_plain() {
    return readAll(PlainAccount.class, c -> c.apiKey.length());
  }

  /** The wider row, its key through {@code @Encrypted}. */
  @Benchmark
  public long readAccounts_encrypted() {
    return readAll(EncryptedAccount.class, c -> c.apiKey.length());
  }

  /** Through the portable converter. */
  @Benchmark
  public long read_converted() {
    return readAll(ConvertedCredential.class, c -> c.apiKey.length());
  }
}
