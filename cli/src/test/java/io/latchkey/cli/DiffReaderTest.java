package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The added lines of a diff, hunk by hunk, whatever the lines hold. */
final class DiffReaderTest {
  private static List<String> read(String diff) throws IOException {
    List<String> seen = new ArrayList<>();
    new DiffReader(new StringReader(diff))
        .read(
            new DiffReader.Hunks() {
              @Override
              public void hunk(String path, long firstLine, Reader added) throws IOException {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[3]; // small, to cross every boundary
                for (int n; (n = added.read(buffer, 0, buffer.length)) > 0; ) {
                  text.append(buffer, 0, n);
                }
                seen.add(path + "@" + firstLine + ":" + text);
              }

              @Override
              public void binary(String path) {
                seen.add(path + " binary");
              }
            });
    return seen;
  }

  @Test
  void read_hunksOfSeveralFiles_withTheirFirstLines() throws IOException {
    String diff =
        "diff --git a/a.txt b/a.txt\n"
            + "index 1..2 100644\n"
            + "--- a/a.txt\n"
            + "+++ b/a.txt\n"
            + "@@ -2 +2,2 @@ section\n"
            + "-old\n"
            + "+new one\n"
            + "++++ looks like a header\n"
            + "@@ -9,0 +11 @@\n"
            + "+@@ looks like a hunk\n"
            + "\\ No newline at end of file\n"
            + "diff --git a/img.png b/img.png\n"
            + "new file mode 100644\n"
            + "Binary files /dev/null and b/img.png differ\n"
            + "diff --git \"a/t\\tab\" \"b/t\\tab\"\n"
            + "--- /dev/null\n"
            + "+++ \"b/t\\tab \\303\\251\"\n"
            + "@@ -0,0 +1 @@\n"
            + "+last";
    assertThat(read(diff))
        .containsExactly(
            "a.txt@2:new one\n+++ looks like a header\n",
            "a.txt@11:@@ looks like a hunk\n",
            "img.png binary",
            "t\tab \u00e9@1:last");
  }

  @Test
  void read_hunkWithOnlyRemovals_addsNothing() throws IOException {
    String diff = "+++ b/x\n@@ -1,2 +0,0 @@\n-a\n-b\n@@ -5 +3 @@\n-c\n+d\n";
    assertThat(read(diff)).containsExactly("x@0:", "x@3:d\n");
  }

  @Test
  void unquote_octalEscapesAreUtf8Bytes() {
    assertThat(DiffReader.unquote("\"b/caf\\303\\251 \\\"q\\\" \\\\\""))
        .isEqualTo("b/café \"q\" \\");
  }
}
