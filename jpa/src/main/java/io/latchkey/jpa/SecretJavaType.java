package io.latchkey.jpa;

import io.latchkey.Secret;
import org.hibernate.MappingException;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.java.ImmutableMutabilityPlan;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

/**
 * What Hibernate knows of {@link Secret} as an attribute type: an immutable value that compares by
 * content (so a converted secret is not dirty after a load, nor after a new secret with the same
 * value is set), and that has no column type of its own: a secret attribute must be encrypted.
 */
final class SecretJavaType extends AbstractClassJavaType<Secret> {
  private static final long serialVersionUID = 1L;

  static final SecretJavaType INSTANCE = new SecretJavaType();

  private SecretJavaType() {
    super(Secret.class, ImmutableMutabilityPlan.instance());
  }

  @Override
  public boolean areEqual(Secret one, Secret another) {
    return SecretContent.equal(one, another);
  }

  @Override
  public int extractHashCode(Secret value) {
    // A hash of the content would be a value derived from the secret.
    return 0;
  }

  @Override
  public JdbcType getRecommendedJdbcType(JdbcTypeIndicators context) {
    throw new MappingException(
        "a Secret attribute is stored only encrypted: annotate it with @Encrypted, or convert it"
            + " with a subclass of EncryptedSecretConverter");
  }

  @Override
  public <X> X unwrap(Secret value, Class<X> type, WrapperOptions options) {
    throw unknownUnwrap(type);
  }

  @Override
  public <X> Secret wrap(X value, WrapperOptions options) {
    throw unknownWrap(value.getClass());
  }
}
