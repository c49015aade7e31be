package io.latchkey.redact;

import java.util.Map;

/**
 * The slow, obvious redaction the tests hold the redactor to: every occurrence of every form found
 * with {@link String#indexOf}, overlapping occurrences joined into one stretch, each stretch named
 * after its leftmost (then longest) occurrence.
 */
final class Oracle {
  private Oracle() {}

  /**
   * Redacts a text.
   *
   * @param text the text
   * @param forms each form to its name
   * @param mask how a stretch is shown
   */
  static String redact(String text, Map<String, String> forms, Redactor.Mask mask) {
    int n = text.length();
    int[] longestFrom = new int[n];
    String[] nameFrom = new String[n];
    for (Map.Entry<String, String> form : forms.entrySet()) {
      String f = form.getKey();
      for (int i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) {
        if (f.length() > longestFrom[i]) {
          longestFrom[i] = f.length();
          nameFrom[i] = form.getValue();
        }
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < n) {
      if (longestFrom[i] == 0) {
        out.append(text.charAt(i++));
        continue;
      }
      String name = nameFrom[i];
      int end = i + longestFrom[i];
      for (int j = i + 1; j < end; j++) {
        end = Math.max(end, j + longestFrom[j]);
      }
      out.append(mask == Redactor.Mask.NAME ? "[" + name + "]" : "***");
      i = end;
    }
    return out.toString();
  }
}
