package io.latchkey.redact;

import java.util.Arrays;

/**
 * The unbranched stretches of the trie, each stored once as consecutive characters, so that a walk
 * along the rest of a value that no other pattern shares is one comparison loop rather than one
 * state at a time.
 *
 * <p>A state with one child starts a chain: the characters of the edges from it down to the first
 * state that ends a pattern or has other than one child. A state inside a chain shares its chain's
 * characters from its own position on, so the chains hold at most one character per state.
 */
final class Chains {
  private final int[] start;
  private final int[] length;
  private final int[] end;
  private final char[] chars;

  private Chains(int[] start, int[] length, int[] end, char[] chars) {
    this.start = start;
    this.length = length;
    this.end = end;
    this.chars = chars;
  }

  /**
   * Finds the chains of a trie.
   *
   * @param trie the trie
   * @param order its nodes in breadth-first order (the automaton's state ids)
   * @param id each node's state id
   * @param classChars the character of each class
   */
  static Chains of(Trie trie, int[] order, int[] id, char[] classChars) {
    int n = trie.size;
    int[] start = new int[n];
    int[] length = new int[n];
    int[] end = new int[n];
    char[] chars = new char[n];
    int used = 0;
    for (int s = 0; s < n; s++) {
      int node = order[s];
      if (trie.childCount(node) != 1) {
        continue;
      }
      int parent = s == 0 ? -1 : id[trie.parent[node]];
      if (parent >= 0 && trie.childCount(order[parent]) == 1 && isLink(trie, node)) {
        // The parent's chain goes on through this state: the same characters, one on.
        start[s] = start[parent] + 1;
        length[s] = length[parent] - 1;
        end[s] = end[parent];
        continue;
      }
      start[s] = used;
      int child = trie.firstChild[node];
      chars[used++] = classChars[trie.nodeClass[child] - 1];
      while (isLink(trie, child)) {
        child = trie.firstChild[child];
        chars[used++] = classChars[trie.nodeClass[child] - 1];
      }
      length[s] = used - start[s];
      end[s] = id[child];
    }
    return new Chains(start, length, end, Arrays.copyOf(chars, used));
  }

  /** A node the walk passes without stopping: one child, and no pattern ends in it. */
  private static boolean isLink(Trie trie, int node) {
    return trie.label[node] < 0 && trie.childCount(node) == 1;
  }

  /** The number of characters in the chain from state {@code s}; 0 where it branches. */
  int length(int s) {
    return length[s];
  }

  /** The state at the end of the chain from {@code s}. */
  int end(int s) {
    return end[s];
  }

  /**
   * How many characters of the chain from {@code s} the text matches from {@code at}, up to the
   * whole chain.
   */
  int match(int s, CharSequence text, int at) {
    int from = start[s];
    int limit = Math.min(length[s], text.length() - at);
    int j = 0;
    while (j < limit && text.charAt(at + j) == chars[from + j]) {
      j++;
    }
    return j;
  }
}
