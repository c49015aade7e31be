package io.latchkey.jpa;

import io.latchkey.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The Java types an encrypted attribute may have, and what each means for a plaintext. */
enum ValueKind {
  STRING(String.class) {
    @Override
    byte[] toBytes(Object value) {
      return ((String) value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Object fromBytes(byte[] plaintext) {
      try {
        return new String(plaintext, StandardCharsets.UTF_8);
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  },
  BYTES(byte[].class) {
    @Override
    byte[] toBytes(Object value) {
      return ((byte[]) value).clone();
    }

    @Override
    Object fromBytes(byte[] plaintext) {
      return plaintext;
    }

    @Override
    boolean equal(Object a, Object b) {
      return Arrays.equals((byte[]) a, (byte[]) b);
    }

    @Override
    int hash(Object value) {
      return Arrays.hashCode((byte[]) value);
    }

    @Override
    Object copy(Object value) {
      return value == null ? null : ((byte[]) value).clone();
    }

    @Override
    boolean isMutable() {
      return true;
    }
  },
  SECRET(Secret.class) {
    @Override
    byte[] toBytes(Object value) {
      return ((Secret) value).revealBytes();
    }

    @Override
    Object fromBytes(byte[] plaintext) {
      try {
        return Secret.ofBytes(plaintext);
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }

    @Override
    boolean equal(Object a, Object b) {
      return SecretContent.equal((Secret) a, (Secret) b);
    }

    @Override
    int hash(Object value) {
      // A hash of the content would be a value derived from the secret.
      return 0;
    }
  };

  private final Class<?> type;

  ValueKind(Class<?> type) {
    this.type = type;
  }

  Class<?> type() {
    return type;
  }

  /** The kind for an attribute's Java type, or {@code null} when it cannot be encrypted. */
  static ValueKind of(Class<?> type) {
    for (ValueKind k : values()) {
      if (k.type == type) {
        return k;
      }
    }
    return null;
  }

  /** The plaintext bytes of a value, in an array the caller may wipe. */
  abstract byte[] toBytes(Object value);

  /** The value of decrypted bytes; wipes them where the value keeps a copy of its own. */
  abstract Object fromBytes(byte[] plaintext);

  boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  int hash(Object value) {
    return value == null ? 0 : value.hashCode();
  }

  Object copy(Object value) {
    return value;
  }

  boolean isMutable() {
    return false;
  }
}
