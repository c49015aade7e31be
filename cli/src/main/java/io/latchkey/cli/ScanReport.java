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

  void add(Problem problem) throws IOException;

  /** Writes what remains to be written, such as the end of a JSON document, and flushes. */
  void finish() throws IOException;
}
