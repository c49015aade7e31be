package io.latchkey.jackson;

import io.latchkey.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The property types {@link JsonEncrypted} can carry, and their plaintext bytes. */
enum Plaintext {
  STRING {
    @Override
    byte[] toBytes(Object value) {
      return ((String) value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Object fromBytes(byte[] bytes) {
      String s = new String(bytes, StandardCharsets.UTF_8);
      Arrays.fill(bytes, (byte) 0);
      return s;
    }
  },
  BYTES {
    @Override
    byte[] toBytes(Object value) {
      return ((byte[]) value).clone();
    }

    @Override
    Object fromBytes(byte[] bytes) {
      return bytes;
    }
  },
  SECRET {
    @Override
    byte[] toBytes(Object value) {
      return ((Secret) value).revealBytes();
    }

    @Override
    Object fromBytes(byte[] bytes) {
      Secret s = Secret.ofBytes(bytes);
      Arrays.fill(bytes, (byte) 0);
      return s;
    }
  };

  static Plaintext of(Class<?> type) {
    if (type == String.class) {
      return STRING;
    }
    if (type == byte[].class) {
      return BYTES;
    }
    return type == Secret.class ? SECRET : null;
  }

  /** The value's bytes, in an array the caller wipes. */
  abstract byte[] toBytes(Object value);

  /** The value of decrypted bytes, wiping them where the value keeps its own copy. */
  abstract Object fromBytes(byte[] bytes);
}
