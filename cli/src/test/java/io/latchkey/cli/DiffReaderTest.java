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
  void read_contextLinesBetweenChanges_areSkippedAndEachRunKeepsItsFirstLine() throws IOException {
    // As diff.interHunkContext fuses -U0 hunks; the empty line is diff.suppressBlankEmpty's.
    String diff =
        "+++ b/app.yml\n"
            + "@@ -1,6 +1,6 @@\n"
            + "-a\n"
            + "+a1\n"
            + " b\n"
            + "\n"
            + "-d\n"
            + "+d4\n"
            + "+d5\n"
            + " e\n"
            + "-f\n"
            + "\\ No newline at end of file\n"
            + "diff --git a/x b/x\n"
            + "+++ b/x\n"
            + "@@ -3,2 +3,2 @@\n"
            + " c\n"
            + "+ starts with a space\n"
            + "-gone\n";
    assertThat(read(diff))
        .containsExactly("app.yml@1:a1\n", "app.yml@4:d4\nd5\n", "x@4: starts with a space\n");
  }

  @Test
  void read_plusLinesPastTheHunksCount_areNotTakenAsAdded() throws IOException {
    String diff = "+++ b/x\n@@ -1 +1 @@\n x\n+++ b/y\n@@ -0,0 +1 @@\n+y\n";
    assertThat(read(diff)).containsExactly("x@2:", "y@1:y\n");
  }

  @Test
  void side_theTabGitEndsANameWithASpaceWith_isNotPartOfIt() {
    assertThat(DiffReader.side("b/my config.yml\t")).isEqualTo("my config.yml");
    assertThat(DiffReader.side("\"b/a b\\tc\"\t")).isEqualTo("a b\tc");
    assertThat(DiffReader.side("\"b/tab\\t\"")).isEqualTo("tab\t");
    assertThat(DiffReader.side("/dev/null")).isNull();
  }

  @Test
  void read_namesWithASpace_fromThePlusLineAndTheBinaryNotice() throws IOException {
    String diff =
        "diff --git a/my config.yml b/my config.yml\n"
            + "--- a/my config.yml\t\n"
            + "+++ b/my config.yml\t\n"
            + "@@ -1 +1 @@\n"
            + "-a\n"
            + "+b\n"
            + "Binary files a/cats and b/dogs.png and b/cats and b/dogs.png differ\n"
            + "Binary files /dev/null and b/x and b/y differ\n"
            + "Binary files \"a/q\\t and b/r\" and \"b/q\\t and b/r\" differ\n";
    assertThat(read(diff))
        .containsExactly(
            "my config.yml@1:b\n",
            "cats and b/dogs.png binary",
            "x and b/y binary",
            "q\t and b/r binary");
  }

  @Test
  void unquote_octalEscapesAreUtf8Bytes() {
    assertThat(DiffReader.unquote("\"b/caf\\303\\251 \\\"q\\\" \\\\\""))
        .isEqualTo("b/café \"q\" \\");
  }
}
