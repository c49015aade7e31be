package io.latchkey.crypto.internal;

import io.latchkey.internal.SettingNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The environment convention every key ring reads: {@code NAME} holds the current key, {@code
 * NAME_PREVIOUS} a comma-separated list of older ones. Not part of the API: the package is not
 * exported.
 */
public final class EnvironmentKeys {
  /** The suffix of the variable that holds the older keys. */
  public static final String PREVIOUS_SUFFIX = "_PREVIOUS";

  /** The reason given for an empty entry inside a {@code NAME_PREVIOUS} list. */
  public static final String BLANK_ENTRY =
      "is blank; remove the extra comma, or restore the key that was there";

  private EnvironmentKeys() {}

  /**
   * One key string as read from the environment, with the setting it came from. The value is
   * unstripped, and empty when the variable is unset; {@code toString()} shows only the source.
   *
   * @param source the variable, or {@code NAME_PREVIOUS entry N} for an entry of the list
   * @param value the key as written, without a byte-order mark at the start of its variable
   */
  public record Entry(String source, String value) {
    /** Returns {@code Entry[source=…]}; never the value. */
    @Override
    public String toString() {
      return "Entry[source=" + source + "]";
    }
  }

  /**
   * Splits {@code NAME} and {@code NAME_PREVIOUS} into entries, the current key first. A blank or
   * unset {@code NAME_PREVIOUS} means no previous keys; an empty entry inside the list is kept, for
   * the caller to report with {@link #BLANK_ENTRY}. A byte-order mark at the start of either
   * variable is dropped, as {@link KeyLists#read} drops one from a key file: a variable may be a
   * mounted file that an editor wrote.
   *
   * @param name the variable holding the current key
   * @param env the variables to read
   * @return the entries, at least one
   * @throws io.latchkey.ConfigException if {@code name} looks like a key rather than a variable's
   *     name and nothing is set under it ({@link SettingNames}); the problem does not show it
   */
  public static List<Entry> entries(String name, Map<String, String> env) {
    SettingNames.requireShown(name, name, env);
    List<Entry> entries = new ArrayList<>();
    String current = env.get(name);
    entries.add(new Entry(name, current == null ? "" : KeyLists.withoutByteOrderMark(current)));

    String previousName = name + PREVIOUS_SUFFIX;
    String previous = env.get(previousName);
    if (previous != null) {
      previous = KeyLists.withoutByteOrderMark(previous);
    }
    if (previous != null && !previous.isBlank()) {
      String[] values = previous.split(",", -1);
      for (int i = 0; i < values.length; i++) {
        entries.add(new Entry(previousName + " entry " + (i + 1), values[i]));
      }
    }
    return entries;
  }
}
