package io.latchkey.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * The readable report: {@code path:line:column rule excerpt fingerprint}, a line per problem, in
 * the form compilers use, so that editors and terminals link to the place.
 */
final class TextReport implements ScanReport {
  private final Writer out;

  TextReport(Writer out) {
    this.out = out;
  }

  @Override
  public void add(Problem p) throws IOException {
    out.write(
        p.path()
            + ":"
            + p.line()
            + ":"
            + p.column()
            + " "
            + p.rule()
            + " "
            + p.excerpt()
            + " "
            + p.fingerprint()
            + "\n");
  }

  /** The notices are on standard error already. */
  @Override
  public void notice(Notice notice) {}

  @Override
  public void finish() throws IOException {
    out.flush();
  }
}
