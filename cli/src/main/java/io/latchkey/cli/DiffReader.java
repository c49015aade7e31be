package io.latchkey.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the added lines of a unified diff ({@code git diff -U0}), hunk by hunk, in bounded memory:
 * each run of added lines is handed out as a {@link Reader} that streams them from the diff, their
 * {@code +} removed, however long a line is.
 *
 * <p>A hunk's header says how many lines it spans on each side, so the reader knows where the hunk
 * ends even when an added line itself begins with {@code +++} or {@code @@}. Context lines are
 * skipped and counted rather than taken for the hunk's end: git puts them between changes when
 * asked for context or, even with {@code -U0}, when {@code diff.interHunkContext} fuses nearby
 * hunks; each run of added lines after one is handed out with its own first line.
 */
final class DiffReader {
  /** Receives what the diff adds. */
  interface Hunks {
    /**
     * One run of a hunk's consecutive added lines: a hunk whose changes are separated by context
     * lines gives one run per change, and a hunk that only removes one empty run.
     *
     * @param path the file, as the diff names it (after {@code b/})
     * @param firstLine the line of the file the first added line is
     * @param added the lines, each with its line break
     */
    void hunk(String path, long firstLine, Reader added) throws IOException;

    /**
     * A file git shows as binary: a NUL byte, UTF-16, a {@code binary} attribute, or larger than
     * the threshold it was given.
     */
    void binary(String path);
  }

  private static final Pattern HUNK =
      Pattern.compile("@@ -\\d+(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

  /** Header lines are short; a longer one is not a header, and only its start is kept. */
  private static final int MAX_HEADER = 8192;

  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;

  /** What is left of the current hunk: lines of the old side, lines of the new side. */
  private long oldLeft;

  private long newLeft;

  DiffReader(Reader in) {
    this.in = in;
  }

  /** Reads the whole diff. */
  void read(Hunks hunks) throws IOException {
    String path = null;
    while (fill()) {
      if (buffer[position] == '@') {
        Matcher m = HUNK.matcher(line());
        if (!m.matches()) {
          continue;
        }
        oldLeft = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
        long line = Long.parseLong(m.group(2));
        newLeft = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
        // The first run is handed out even when empty, so that a hunk that only removes is seen.
        for (boolean first = true; ; first = false) {
          line += skipUnadded();
          boolean more = newLeft > 0 && fill() && buffer[position] == '+';
          if (!more && !first) {
            break;
          }
          Added lines = new Added();
          if (path != null) {
            hunks.hunk(path, line, lines);
          }
          lines.skip(Long.MAX_VALUE);
          line += lines.count;
          if (!more) {
            break;
          }
        }
        continue;
      }
      String line = line();
      if (line.startsWith("diff --git ")) {
        path = null;
      } else if (line.startsWith("+++ ")) {
        path = side(line.substring(4));
      } else if (line.startsWith("Binary files ") && line.endsWith(" differ")) {
        String file =
            binarySide(
                line.substring("Binary files ".length(), line.length() - " differ".length()));
        if (file != null) {
          hunks.binary(file);
        }
      }
    }
  }

  /**
   * Skips the hunk's removed lines, notes and context lines up to its next added line or its end;
   * returns how many lines of the new side the context lines were.
   */
  private long skipUnadded() throws IOException {
    long context = 0;
    while (fill()) {
      char c = buffer[position];
      if (c == '-' && oldLeft > 0) {
        oldLeft--;
      } else if ((c == ' ' || c == '\n') && oldLeft > 0 && newLeft > 0) {
        // An empty line is a context line that diff.suppressBlankEmpty wrote without its space.
        oldLeft--;
        newLeft--;
        context++;
      } else if (c != '\\') { // "\ No newline at end of file" belongs to the line before
        break;
      }
      skipLine();
    }
    return context;
  }

  /** Whether a character is buffered, reading more if need be. */
  private boolean fill() throws IOException {
    if (position < limit) {
      return true;
    }
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  /** Reads one line, its break removed; only its first {@value #MAX_HEADER} characters kept. */
  private String line() throws IOException {
    StringBuilder out = new StringBuilder();
    while (fill()) {
      char c = buffer[position++];
      if (c == '\n') {
        break;
      }
      if (out.length() < MAX_HEADER) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Skips to after the next line break. */
  private void skipLine() throws IOException {
    while (fill()) {
      if (buffer[position++] == '\n') {
        return;
      }
    }
  }

  /**
   * The path of a {@code +++} line or a binary notice: after {@code b/}; null for /dev/null. git
   * ends a {@code +++} line with a tab when the name holds a space, after the closing quote if it
   * is quoted; a name that holds a tab itself is always quoted, so a last tab is never the name's.
   */
  static String side(String text) {
    String bare = text.endsWith("\t") ? text.substring(0, text.length() - 1) : text;
    String name = bare.startsWith("\"") ? unquote(bare) : bare;
    return name.startsWith("b/") ? name.substring(2) : null;
  }

  /**
   * The new side of a binary notice's {@code A and B}. The names are not quoted for holding {@code
   * " and "}, so the split is found from what the two sides must be: {@code /dev/null} and a new
   * file, or the same name under {@code a/} and {@code b/}; only a renamed file is split at its
   * last {@code " and b/"}.
   */
  static String binarySide(String pair) {
    String and = " and ";
    if (pair.startsWith("/dev/null" + and)) {
      return side(pair.substring("/dev/null".length() + and.length()));
    }
    int half = (pair.length() - and.length()) / 2;
    if ((pair.length() - and.length()) % 2 == 0 && pair.startsWith(and, half)) {
      String a = pair.substring(0, half);
      String b = pair.substring(half + and.length());
      if (a.startsWith("\"") == b.startsWith("\"")) {
        String name = side(b);
        String old = a.startsWith("\"") ? unquote(a) : a;
        if (name != null && old.equals("a/" + name)) {
          return name;
        }
      }
    }
    int split = Math.max(pair.lastIndexOf(" and b/"), pair.lastIndexOf(" and \"b/"));
    return split < 0 ? null : side(pair.substring(split + and.length()));
  }

  /** Undoes git's C-style quoting of a path: {@code "b/a\tb\303\251"}. */
  static String unquote(String quoted) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int end = quoted.endsWith("\"") && quoted.length() > 1 ? quoted.length() - 1 : quoted.length();
    for (int i = 1; i < end; i++) {
      char c = quoted.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      char e = quoted.charAt(++i);
      if (e >= '0' && e <= '7' && i + 2 < end) {
        bytes.write(Integer.parseInt(quoted.substring(i, i + 3), 8));
        i += 2;
        continue;
      }
      bytes.write(
          switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'a' -> 7;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> 11;
            default -> e;
          });
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** One run of a hunk's added lines, read from the diff as they are asked for. */
  private final class Added extends Reader {
    private boolean inLine;
    private boolean done;

    /** How many added lines were entered. */
    long count;

    @Override
    public int read(char[] out, int offset, int length) throws IOException {
      int n = 0;
      while (n < length && !done) {
        if (!inLine && !startLine()) {
          break;
        }
        if (!fill()) {
          done = true;
          break;
        }
        // Copy up to the line break, the end of the buffer or of the caller's room.
        int stop = Math.min(limit, position + (length - n));
        int i = position;
        while (i < stop && buffer[i] != '\n') {
          i++;
        }
        if (i < stop) {
          i++; // the line break goes too
          inLine = false;
        }
        System.arraycopy(buffer, position, out, offset + n, i - position);
        n += i - position;
        position = i;
      }
      return n == 0 && done ? -1 : n;
    }

    /** At the start of a line: skips notes, and enters an added line; the run ends at another. */
    private boolean startLine() throws IOException {
      while (fill()) {
        char c = buffer[position];
        if (c == '\\') {
          skipLine(); // "\ No newline at end of file"
        } else if (c == '+' && newLeft > 0) {
          newLeft--;
          count++;
          position++;
          inLine = true;
          return true;
        } else {
          break;
        }
      }
      done = true;
      return false;
    }

    @Override
    public long skip(long n) throws IOException {
      char[] scratch = new char[8192];
      long skipped = 0;
      for (int r; skipped < n && (r = read(scratch, 0, 8192)) > 0; ) {
        skipped += r;
      }
      return skipped;
    }

    @Override
    public void close() {}
  }
}
