package io.latchkey.jpa;

import org.hibernate.type.descriptor.java.MutableMutabilityPlan;

/**
 * How Hibernate copies an encrypted {@code byte[]} for its dirty check: a plain copy of the array,
 * where the default for a converted value would encrypt and decrypt it again on every load.
 */
final class BytesCopy extends MutableMutabilityPlan<byte[]> {
  private static final long serialVersionUID = 1L;

  @Override
  protected byte[] deepCopyNotNull(byte[] value) {
    return value.clone();
  }
}
