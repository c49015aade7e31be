package io.latchkey.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the added lines of a unified diff without context ({@code git diff -U0}), hunk by hunk, in
 * bounded memory: each hunk's lines are handed out as a {@link Reader} that streams them from the
 * diff, their {@code +} removed, however long a line is.
 *
 * <p>A hunk's header says how many lines it removes and adds, so the reader knows where the hunk
 * ends even when an added line itself begins with {@code +++} or {@code @@}.
 */
final class DiffReader {
  /** Receives what the diff adds. */
  interface Hunks {
    /**
     * One hunk's added lines.
     *
     * @param path the file, as the diff names it (after {@code b/})
     * @param firstLine the line of the file the first added line is
     * @param added the lines, each with its line break
     */
    void hunk(String path, long firstLine, Reader added) throws IOException;

    /** A file git shows as binary: a NUL byte, or larger than the threshold it was given. */
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
        long removed = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
        long first = Long.parseLong(m.group(2));
        long added = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
        Added lines = new Added(removed, added);
        if (path != null) {
          hunks.hunk(path, first, lines);
        }
        lines.skip(Long.MAX_VALUE);
        continue;
      }
      String line = line();
      if (line.startsWith("diff --git ")) {
        path = null;
      } else if (line.startsWith("+++ ")) {
        path = side(line.substring(4));
      } else if (line.startsWith("Binary files ") && line.endsWith(" differ")) {
        String pair = line.substring("Binary files ".length(), line.length() - " differ".length());
        int and = Math.max(pair.lastIndexOf(" and b/"), pair.lastIndexOf(" and \"b/"));
        String file = and < 0 ? null : side(pair.substring(and + " and ".length()));
        if (file != null) {
          hunks.binary(file);
        }
      }
    }
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

  /** The path of a {@code +++} line or a binary notice: after {@code b/}; null for /dev/null. */
  static String side(String text) {
    String name = text.startsWith("\"") ? unquote(text) : text;
    return name.startsWith("b/") ? name.substring(2) : null;
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

  /** One hunk's added lines, read from the diff as they are asked for. */
  private final class Added extends Reader {
    private long removed;
    private long added;
    private boolean inLine;
    private boolean done;

    Added(long removed, long added) {
      this.removed = removed;
      this.added = added;
    }

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

    /** At the start of a line: skips removed lines and notes, and enters an added line. */
    private boolean startLine() throws IOException {
      while (fill()) {
        char c = buffer[position];
        if (c == '-' && removed > 0) {
          removed--;
          skipLine();
        } else if (c == '\\') {
          skipLine(); // "\ No newline at end of file"
        } else if (c == '+' && added > 0) {
          added--;
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
