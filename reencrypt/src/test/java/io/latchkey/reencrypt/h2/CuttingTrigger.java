package io.latchkey.reencrypt.h2;

import java.sql.Connection;
import org.h2.api.Trigger;

/**
 * An H2 trigger on {@code credentials} that cuts the last character off the secret row 3 is updated
 * to, as a column that truncates what it is given does (MySQL without strict mode): the update
 * succeeds, its count is 1, and the row holds another value than the one written. Its package is
 * not the module's exported one, whose public classes may not expose a class-path library's types.
 */
public final class CuttingTrigger implements Trigger {
  /** The row whose new secret is cut. */
  public static final long CUT_ROW = 3;

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
    if (newRow != null && ((Number) newRow[0]).longValue() == CUT_ROW) {
      String secret = (String) newRow[2];
      newRow[2] = secret.substring(0, secret.length() - 1);
    }
  }
}
