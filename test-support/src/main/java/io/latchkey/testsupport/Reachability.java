package io.latchkey.testsupport;

import java.lang.ref.WeakReference;
import java.util.List;

/** Whether objects a test let go of can be collected: what keeps a closed object alive leaks. */
public final class Reachability {
  private Reachability() {}

  /**
   * Runs full collections until every referent is gone, at most 20 times.
   *
   * @param refs weak references to objects nothing in the test holds any more
   * @return how many are still reachable after that (0 when all were collected)
   */
  public static long stillReachable(List<? extends WeakReference<?>> refs) {
    long kept = refs.size();
    for (int attempt = 0; attempt < 20 && kept > 0; attempt++) {
      System.gc();
      kept = refs.stream().filter(ref -> ref.get() != null).count();
    }
    return kept;
  }
}
