package io.latchkey.crypto.aead;

import io.latchkey.ConfigException;
import io.latchkey.crypto.internal.KeyLists;
import java.util.List;
import java.util.function.Supplier;

/** What a key list needs to know about AES-GCM keys. */
enum AesGcmKeyShape implements KeyLists.Shape<AesGcmKey> {
  INSTANCE;

  /** Builds a default ring from loaded keys; a key-id collision is reported against the source. */
  static AesGcmKeyRing ring(String source, Supplier<List<AesGcmKey>> keys) {
    List<AesGcmKey> parsed = keys.get();
    try {
      return AesGcmKeyRing.builder().keys(parsed).build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source, e.getMessage());
    }
  }

  @Override
  public String problemWith(CharSequence key) {
    return AesGcmKey.problemWith(key);
  }

  @Override
  public AesGcmKey parse(CharSequence key, String source) {
    return AesGcmKey.parse(key, source);
  }

  @Override
  public String expected() {
    return AesGcmKey.EXPECTED;
  }

  @Override
  public String noun() {
    return "AES-GCM key";
  }

  @Override
  public String keygen() {
    return "'latchkey keygen --format aes-gcm'";
  }
}
