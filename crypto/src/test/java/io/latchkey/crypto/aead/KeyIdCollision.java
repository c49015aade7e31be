package io.latchkey.crypto.aead;

import java.util.HexFormat;

/**
 * Two different keys with the same 32-bit key id (010169fe), found by a birthday search: key N is
 * SHA-256 of the ASCII text {@code latchkey key id collision search N}, and keys 43226 and 47666
 * collide. Key ids are public (every token carries one), so two keys that share one are a
 * configuration error, not a weakness.
 */
final class KeyIdCollision {
  static final byte[] FIRST =
      HexFormat.of().parseHex("57141cb3319f87976c04df1867aa1117b20d5422b98edaccf7ef43e85ba7cfa3");
  static final byte[] SECOND =
      HexFormat.of().parseHex("ee5c24f681257c57efac73ecd4c0e23660baf2a6f01044bb031e6a014ead43d3");

  private KeyIdCollision() {}
}
