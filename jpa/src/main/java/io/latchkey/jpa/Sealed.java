package io.latchkey.jpa;

/**
 * A row-bound value as read, before its row's id is known: Hibernate reads the columns before it
 * announces the entity, and {@link RowBinding} swaps this for the decrypted value then. One that
 * reaches an application (a query selecting the column alone) prints as a mask and is of no
 * attribute type, so it fails at once rather than pass for a plaintext.
 */
final class Sealed {
  private final String token;

  Sealed(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }

  @Override
  public String toString() {
    return "[encrypted, bound to its row: load the entity to read it]";
  }
}
