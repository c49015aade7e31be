package io.latchkey.cli;

import java.io.IOException;

/** Where {@code scan} writes what it refuses: a line per problem, or SARIF. */
interface ScanReport {
  /**
   * One thing the commit must not hold: a finding, or a {@code .env} file.
   *
   * @param path the file, relative to the scan's directory, with {@code /}
   * @param line its line, from 1
   * @param column its column, from 1
   * @param rule the rule's id
   * @param excerpt the masked excerpt; never a value
   * @param fingerprint the fingerprint that allow-lists it
   */
  record Problem(
      String path, long line, long column, String rule, String excerpt, String fingerprint) {}

  /**
   * Something the run did not look at, or could not: a file skipped (binary, larger than {@code
   * --max-file-size}, a submodule), or one that could not be read. Never a byte of any content.
   *
   * @param path where it is, relative to the scan's directory with {@code /} as in a problem, or
   *     {@code null} when there is no path to give or the one typed may not be shown
   * @param message what the notice on standard error says: the path as shown and the reason
   * @param incomplete whether it leaves the scan incomplete (unreadable, git failed), rather than
   *     skipped by design
   */
  record Notice(String path, String message, boolean incomplete) {}

  void add(Problem problem) throws IOException;

  /** Records a notice; a report that has no place for one ignores it. */
  void notice(Notice notice);

  /** Writes what remains to be written, such as the end of a JSON document, and flushes. */
  void finish() throws IOException;
}
