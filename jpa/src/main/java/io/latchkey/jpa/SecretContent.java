package io.latchkey.jpa;

import io.latchkey.Secret;

/** Content equality for secrets, which {@link Secret} itself deliberately does not have. */
final class SecretContent {
  private SecretContent() {}

  /**
   * Tells whether two secrets hold the same bytes, in time independent of where they differ. A
   * wiped secret equals only itself: its content is gone, and a dirty check must not throw.
   */
  static boolean equal(Secret a, Secret b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.isWiped() || b.isWiped()) {
      return false;
    }
    return a.matches(b);
  }
}
