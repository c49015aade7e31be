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
 * io.latchkey.Secret#toString() mask}, URLs their user and host with the password replaced by
 * {@code ***}, and a value derived from a secret its template with every part that came from a
 * secret replaced by {@code ***} (or {@code ***} alone where no template tells the parts apart), so
 * a report can be logged or printed as it is.
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
   * Returns the {@linkplain #toTable() table}.
   *
   * @return the table
   */
  @Override
  public String toString() {
    return toTable();
  }
}
