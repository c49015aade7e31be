package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The effective configuration as an operator reads it: one row per setting, with where its value
 * came from, the value (masked), and its status.
 *
 * <pre>{@code
 * SETTING            SOURCE   VALUE                        STATUS
 * PORT               default  8080                         default
 * LLM_API_KEY        env      sk-...***                    deprecated name OPENAI_API_KEY used
 * DATABASE_URL       derived  postgresql://app:***@db/app  derived
 * SENTRY_DSN         -        -                            unset (optional)
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * <p>Values are masked before they reach a report: secrets show their {@linkplain
 * io.latchkey.Secret#toString() mask}, every URL or connection string in a value has its
 * credentials replaced by {@code ***} (see {@link #maskUrls(String)}), and a value derived from a
 * secret shows its template with every part that came from a secret replaced by {@code ***} (or
 * {@code ***} alone where no template tells the parts apart), so a report can be logged or printed
 * as it is.
 *
 * @param rows the rows, in the schema's declaration order
 * @since 0.1
 */
public record ConfigReport(List<Row> rows) {

  /**
   * One setting's line in the report.
   *
   * @param setting the setting's name
   * @param source the kind of source the value came from ({@code env}, {@code .env}, {@code file},
   *     {@code default}, {@code derived} and so on), or {@code -} when unset
   * @param value the value, masked for secrets and URL passwords; {@code -} when unset
   * @param status {@code ok}, {@code default}, {@code derived}, {@code unset (optional)}, {@code
   *     deprecated name OLD used}, or {@code ok; deprecated OLD ignored} when both names are set
   */
  public record Row(String setting, String source, String value, String status) {
    /**
     * Validates the components.
     *
     * @param setting the setting's name
     * @param source the kind of source
     * @param value the masked value
     * @param status the status
     */
    public Row {
      requireNonNull(setting, "setting");
      requireNonNull(source, "source");
      requireNonNull(value, "value");
      requireNonNull(status, "status");
    }
  }

  /**
   * Copies the rows.
   *
   * @param rows the rows
   */
  public ConfigReport {
    rows = List.copyOf(rows);
  }

  /**
   * Renders the report as a plain-text table with aligned columns and a header line, one line per
   * setting, with no trailing spaces.
   *
   * @return the table, ending in a line break
   */
  public String toTable() {
    String[] header = {"SETTING", "SOURCE", "VALUE", "STATUS"};
    int[] width = new int[4];
    for (int c = 0; c < 4; c++) {
      width[c] = header[c].length();
    }
    for (Row row : rows) {
      String[] cells = cells(row);
      for (int c = 0; c < 4; c++) {
        width[c] = Math.max(width[c], cells[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, width);
    for (Row row : rows) {
      line(out, cells(row), width);
    }
    return out.toString();
  }

  private static String[] cells(Row row) {
    return new String[] {row.setting(), row.source(), row.value(), row.status()};
  }

  private static void line(StringBuilder out, String[] cells, int[] width) {
    int start = out.length();
    for (int c = 0; c < cells.length; c++) {
      out.append(cells[c]);
      if (c < cells.length - 1) {
        out.append(" ".repeat(width[c] - cells[c].length() + 2));
      }
    }
    int end = out.length();
    while (end > start && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
    out.append('\n');
  }

  /**
   * Masks text the way the report masks a value that is not secret, for a module that shows or
   * quotes a URL, an address or a connection string of its own.
   *
   * <p>Every URL in the text is masked, not only the first: its user info (the password, or the
   * whole user info when the user part may itself be a token), query and fragment parameters whose
   * names mark a credential ({@code password}, {@code token}, {@code api_key}, {@code
   * X-Amz-Signature} and others), {@code ;password=} and ODBC {@code PWD=} parameters, and long
   * bare fragments. Hosts, ports, paths and other parameters are kept. Control characters are
   * escaped, so the result is one line. Text that does not parse is masked cautiously: more, never
   * less. The full rule is in {@code docs/security.md}, "How URLs are masked".
   *
   * <p>Masking is for values that are not secret as a whole: a secret belongs in a {@link
   * io.latchkey.Secret}, which is never shown.
   *
   * <pre>{@code
   * ConfigReport.maskUrls("cannot reach https://app:hunter2@db:5432/app")
   *     // "cannot reach https://app:***@db:5432/app"
   * }</pre>
   *
   * @param text the text, such as an endpoint or a message that quotes one
   * @return the masked text; the same text when there is nothing to mask
   * @since 0.1
   */
  public static String maskUrls(String text) {
    requireNonNull(text, "text");
    return Masking.printable(text);
  }

  /**
   * Returns the {@linkplain #toTable() table}.
   *
   * @return the table
   */
  @Override
  public String toString() {
    return toTable();
  }
}
