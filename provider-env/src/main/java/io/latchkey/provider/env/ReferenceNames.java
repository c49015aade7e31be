package io.latchkey.provider.env;

/**
 * The mapping from a slash reference ({@code llm_api_key/control_plane}) to the environment name it
 * stands for ({@code LLM_API_KEY_CONTROL_PLANE}), as {@link EnvSecretProvider#environmentName}
 * documents it.
 */
final class ReferenceNames {
  private ReferenceNames() {}

  /**
   * Says why a reference cannot be mapped, or returns {@code null} when it can. The reason is a
   * fixed phrase: a value may have been passed by mistake, so neither the reference nor anything
   * derived from it (its length, the position of a character) is given.
   */
  static String problem(String reference) {
    if (reference.isEmpty()) {
      return "reference is empty; expected a name such as llm_api_key/control_plane";
    }
    String prefix = "reference cannot map to an environment name: ";
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      if (c == '/') {
        boolean emptyBefore = i == 0 || reference.charAt(i - 1) == '/';
        boolean last = i == reference.length() - 1;
        if (emptyBefore || last) {
          return prefix + "it has an empty segment (a leading, trailing or doubled '/')";
        }
      } else if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '.'
          || c == '-')) {
        return prefix
            + "it holds a character that is not allowed (use letters, digits, '_', '.', '-' and"
            + " '/')";
      }
    }
    return null;
  }

  /** Maps a reference that {@link #problem(String)} accepted. */
  static String map(String reference) {
    StringBuilder name = new StringBuilder(reference.length());
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      name.append(c == '/' || c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
    }
    return name.toString();
  }
}
