package io.latchkey.scan;

import java.util.List;

/**
 * Decides, around one occurrence of a keyword, whether the text holds a credential, and where.
 *
 * <p>A detector reads the window's characters only, never past its length, and looks at most {@link
 * Engine#LOOKBEHIND} characters before the start of what it reports and {@link Engine#SPAN}
 * characters after that start: what lies further may not be in the window.
 */
interface Detector {
  /** The keywords that wake this detector, in lower case: any case of them matches. */
  List<String> keywords();

  /** The rules whose findings it reports. */
  List<Rule> rules();

  /**
   * Examines a keyword's occurrence.
   *
   * @param w the window
   * @param keyword the index of the keyword in {@link #keywords()}
   * @param start the index of the keyword's first character
   * @param end the index after its last character
   * @param out where candidates go
   */
  void detect(Window w, int keyword, int start, int end, Candidates out);
}
