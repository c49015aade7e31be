package io.latchkey.scan;

/**
 * The piece of a text the scanner holds: {@code chars[0, length)}, the text's characters from
 * {@code base} on. A detector treats {@code length} as the end of the text; what it finds too close
 * to the end of a window that is not the last is left to the next window, which holds it whole.
 */
final class Window {
  final char[] chars;
  int length;

  Window(int capacity) {
    this.chars = new char[capacity];
  }

  /** The characters {@code [from, to)} as a string. */
  String text(int from, int to) {
    return new String(chars, from, to - from);
  }
}
