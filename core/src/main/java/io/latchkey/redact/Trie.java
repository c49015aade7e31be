package io.latchkey.redact;

import java.util.Arrays;

/**
 * The trie of the patterns, from which an {@link Automaton} is compiled: nodes in growable arrays,
 * each node's children in a linked list. It lives only while an automaton is built.
 */
final class Trie {
  final int classes;
  int size = 1;
  int patterns;
  int[] parent = new int[64];
  int[] nodeClass = new int[64];
  int[] firstChild = filled(64);
  int[] nextSibling = filled(64);
  int[] label = filled(64);

  /** Starts a trie holding the root only. */
  Trie(int classes) {
    this.classes = classes;
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  /** The child of {@code node} by {@code cls}, or -1. */
  int find(int node, int cls) {
    for (int child = firstChild[node]; child >= 0; child = nextSibling[child]) {
      if (nodeClass[child] == cls) {
        return child;
      }
    }
    return -1;
  }

  /** The child of {@code node} by {@code cls}, created if missing. */
  int child(int node, int cls) {
    int existing = find(node, cls);
    if (existing >= 0) {
      return existing;
    }
    if (size == parent.length) {
      int n = size * 2;
      parent = Arrays.copyOf(parent, n);
      nodeClass = Arrays.copyOf(nodeClass, n);
      firstChild = grow(firstChild, n);
      nextSibling = grow(nextSibling, n);
      label = grow(label, n);
    }
    int created = size++;
    parent[created] = node;
    nodeClass[created] = cls;
    nextSibling[created] = firstChild[node];
    firstChild[node] = created;
    return created;
  }

  private static int[] grow(int[] a, int n) {
    int[] grown = Arrays.copyOf(a, n);
    Arrays.fill(grown, a.length, n, -1);
    return grown;
  }

  /** Marks {@code node} as the end of a pattern with a label; the first label given stays. */
  void end(int node, int patternLabel) {
    if (label[node] < 0) {
      label[node] = patternLabel;
      patterns++;
    }
  }

  /** The number of children of {@code node}. */
  int childCount(int node) {
    int count = 0;
    for (int child = firstChild[node]; child >= 0; child = nextSibling[child]) {
      count++;
    }
    return count;
  }

  /** The nodes in breadth-first order, the root first, so that shallower nodes come first. */
  int[] breadthFirst() {
    int[] order = new int[size];
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      for (int child = firstChild[order[head]]; child >= 0; child = nextSibling[child]) {
        order[tail++] = child;
      }
    }
    return order;
  }
}
