package io.latchkey.jpa;

import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.TokenFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A ring that counts the encryptions and decryptions it is asked for. */
final class CountingRing implements AeadKeyRing {
  final AtomicInteger encryptions = new AtomicInteger();
  final AtomicInteger decryptions = new AtomicInteger();
  private final AeadKeyRing ring;

  CountingRing(AeadKeyRing ring) {
    this.ring = ring;
  }

  void reset() {
    encryptions.set(0);
    decryptions.set(0);
  }

  @Override
  public String encrypt(byte[] plaintext, AssociatedData associatedData) {
    encryptions.incrementAndGet();
    return ring.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] decrypt(String token, AssociatedData associatedData) {
    decryptions.incrementAndGet();
    return ring.decrypt(token, associatedData);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl, AssociatedData associatedData) {
    decryptions.incrementAndGet();
    return ring.decrypt(token, ttl, associatedData);
  }

  @Override
  public String rotate(String token, AssociatedData associatedData) {
    return ring.rotate(token, associatedData);
  }

  @Override
  public boolean isPrimary(String token, AssociatedData associatedData) {
    return ring.isPrimary(token, associatedData);
  }

  @Override
  public TokenFormat format() {
    return ring.format();
  }

  @Override
  public String primaryKeyId() {
    return ring.primaryKeyId();
  }

  @Override
  public List<String> keyIds() {
    return ring.keyIds();
  }
}
