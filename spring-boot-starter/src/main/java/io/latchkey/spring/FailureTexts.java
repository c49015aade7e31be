package io.latchkey.spring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The texts a failure prints, where a secret could show: the message, localized message and {@code
 * toString()} of the exception, of each cause and of each suppressed exception, each exception once
 * however its causes loop.
 */
final class FailureTexts {
  private FailureTexts() {}

  static List<String> of(Throwable failure) {
    List<String> texts = new ArrayList<>();
    collect(failure, texts, Collections.newSetFromMap(new IdentityHashMap<>()));
    return texts;
  }

  /** The innermost cause, where the causes end or loop. */
  static Throwable root(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable root = failure;
    while (seen.add(root) && root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  private static void collect(Throwable t, List<String> texts, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    texts.add(String.valueOf(t.getMessage()));
    texts.add(String.valueOf(t.getLocalizedMessage()));
    texts.add(String.valueOf(t));
    collect(t.getCause(), texts, seen);
    for (Throwable suppressed : t.getSuppressed()) {
      collect(suppressed, texts, seen);
    }
  }
}
